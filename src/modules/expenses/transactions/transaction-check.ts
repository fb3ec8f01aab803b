import { type FieldError, unprocessable } from '../../../core/errors.ts';
import type { Db } from '../../../db/database.ts';
import { accountsByIds } from '../accounts/account-repository.ts';
import { categoriesByIds, namedByIds } from '../labels/label-repository.ts';
import { Big, checkAmount, sum } from '../money.ts';
import type { TransactionKind } from '../tables.ts';

/**
 * The one check every transaction passes, whoever writes it (the API, a recurring rule, an import):
 * the accounts, categories, tags and payee are the caller's; every amount fits its currency; the
 * lines add up to the total exactly; a transfer goes between two different accounts of theirs,
 * with both amounts when the currencies differ. Returns the values to store, or throws one 422
 * listing every problem, each at its field (`prefix` places them: `body`, or an import's row).
 */

export interface TransactionFields {
  kind: TransactionKind;
  accountId: string;
  date: string;
  amount: string;
  payeeId?: string | null | undefined;
  note?: string | undefined;
  lines?:
    | Array<{
        amount: string;
        categoryId?: string | null | undefined;
        tagIds?: string[] | undefined;
        memo?: string | undefined;
      }>
    | undefined;
  categoryId?: string | null | undefined;
  tagIds?: string[] | undefined;
  toAccountId?: string | undefined;
  toAmount?: string | undefined;
}

export interface CheckedLine {
  amount: string;
  categoryId: string | null;
  tagIds: string[];
  memo: string;
}

export interface CheckedTransaction {
  kind: TransactionKind;
  accountId: string;
  date: string;
  amount: string;
  currency: string;
  payeeId: string | null;
  note: string;
  lines: CheckedLine[];
  transfer: { toAccountId: string; toAmount: string; toCurrency: string } | null;
}

export async function checkTransaction(
  db: Db,
  userId: string,
  input: TransactionFields,
  prefix = 'body',
): Promise<CheckedTransaction> {
  const errors: FieldError[] = [];
  const at = (field: string) => `${prefix}.${field}`;
  // A single line given by the shortcut fields reports its problems at those fields.
  const lineAt = (i: number, field: string) => at(input.lines ? `lines.${i}.${field}` : field);
  const transfer = input.kind === 'transfer';
  const lines: CheckedLine[] = (
    input.lines ?? [{ amount: input.amount, categoryId: input.categoryId ?? null, tagIds: input.tagIds ?? [] }]
  ).map((line) => ({
    amount: line.amount,
    categoryId: line.categoryId ?? null,
    tagIds: [...(line.tagIds ?? [])].sort(),
    memo: line.memo ?? '',
  }));

  const accountIds = [input.accountId, ...(input.toAccountId ? [input.toAccountId] : [])];
  const accounts = new Map((await accountsByIds(db, userId, accountIds)).map((a) => [a.id, a]));
  const account = accounts.get(input.accountId);
  if (!account) errors.push({ field: at('accountId'), message: 'is not one of your accounts' });
  else if (account.archived_at) errors.push({ field: at('accountId'), message: 'is archived' });
  const currency = account?.currency ?? '';
  if (account) checkAmount(input.amount, currency, at('amount'), errors, { positive: true });

  let checkedTransfer: CheckedTransaction['transfer'] = null;
  if (transfer) {
    if (input.lines || input.categoryId || input.tagIds?.length) {
      errors.push({ field: at('lines'), message: 'a transfer has no categories or split' });
    }
    const target = input.toAccountId ? accounts.get(input.toAccountId) : undefined;
    if (!input.toAccountId)
      errors.push({ field: at('toAccountId'), message: 'a transfer needs the account it goes to' });
    else if (!target) errors.push({ field: at('toAccountId'), message: 'is not one of your accounts' });
    else if (target.id === input.accountId) errors.push({ field: at('toAccountId'), message: 'is the same account' });
    else if (target.archived_at) errors.push({ field: at('toAccountId'), message: 'is archived' });
    if (account && target && target.id !== account.id) {
      const sameCurrency = target.currency === currency;
      const toAmount = input.toAmount ?? (sameCurrency ? input.amount : undefined);
      if (toAmount === undefined) {
        errors.push({
          field: at('toAmount'),
          message: `is required across currencies (${currency} → ${target.currency})`,
        });
      } else if (checkAmount(toAmount, target.currency, at('toAmount'), errors, { positive: true })) {
        if (sameCurrency && !new Big(toAmount).eq(input.amount)) {
          errors.push({ field: at('toAmount'), message: 'must equal the amount within one currency' });
        }
        checkedTransfer = { toAccountId: target.id, toAmount, toCurrency: target.currency };
      }
    }
  } else if (input.toAccountId || input.toAmount) {
    errors.push({ field: at('toAccountId'), message: 'only a transfer goes to another account' });
  }

  if (account) {
    const fits =
      !input.lines || lines.every((line, i) => checkAmount(line.amount, currency, at(`lines.${i}.amount`), errors));
    const total = sum(lines.map((line) => line.amount));
    if (fits && !total.eq(input.amount)) {
      errors.push({ field: at('lines'), message: `add up to ${total.toFixed()}, not the total ${input.amount}` });
    }
  }
  await checkLabels(db, userId, input.kind, lines, input.payeeId ?? null, { at, lineAt }, errors);
  if (errors.length) throw unprocessable(errors, 'The transaction is invalid');
  return {
    kind: input.kind,
    accountId: input.accountId,
    date: input.date,
    amount: input.amount,
    currency,
    payeeId: input.payeeId ?? null,
    note: input.note ?? '',
    lines,
    transfer: checkedTransfer,
  };
}

/**
 * Whether a line of a `kind` transaction may carry a category of `categoryKind`. Money in on an
 * expense category is a refund, which the roll-up counts against that category's spending
 * (rollup.ts); money out on an income category has no such meaning.
 */
export const categoryFits = (categoryKind: string, kind: TransactionKind) =>
  !(categoryKind === 'income' && kind !== 'income');

async function checkLabels(
  db: Db,
  userId: string,
  kind: TransactionKind,
  lines: CheckedLine[],
  payeeId: string | null,
  { at, lineAt }: { at: (field: string) => string; lineAt: (i: number, field: string) => string },
  errors: FieldError[],
) {
  const categoryIds = [...new Set(lines.flatMap((line) => line.categoryId ?? []))];
  const categories = new Map((await categoriesByIds(db, userId, categoryIds)).map((c) => [c.id, c]));
  const tagIds = [...new Set(lines.flatMap((line) => line.tagIds))];
  const tags = new Set((await namedByIds(db, 'expense_tags', userId, tagIds)).map((t) => t.id));
  lines.forEach((line, i) => {
    if (line.categoryId) {
      const category = categories.get(line.categoryId);
      if (!category) errors.push({ field: lineAt(i, 'categoryId'), message: 'is not one of your categories' });
      else if (!categoryFits(category.kind, kind)) {
        errors.push({ field: lineAt(i, 'categoryId'), message: 'is an income category' });
      }
    }
    for (const tagId of line.tagIds) {
      if (!tags.has(tagId)) errors.push({ field: lineAt(i, 'tagIds'), message: `${tagId} is not one of your tags` });
    }
  });
  if (payeeId && (await namedByIds(db, 'expense_payees', userId, [payeeId])).length === 0) {
    errors.push({ field: at('payeeId'), message: 'is not one of your payees' });
  }
}

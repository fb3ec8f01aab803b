import { unprocessable } from '../../../core/errors.ts';
import { checkVersion } from '../../../core/etag.ts';
import type { Db, Trx } from '../../../db/database.ts';
import { inTransaction } from '../../../db/transactions.ts';
import { cursorScope, decodeCursor, toPage } from '../../../lib/cursor.ts';
import { attachFile, detachAll, detachFile, listAttachments } from '../../files/index.ts';
import { receiptNotFound, transactionNotFound } from '../errors.ts';
import { categoryFamily } from '../labels/label-repository.ts';
import { Big, formatMoney } from '../money.ts';
import { rollUp } from './rollup.ts';
import { checkTransaction, type TransactionFields } from './transaction-check.ts';
import { transactionListQuery } from './transaction-list-query.ts';
import * as repo from './transaction-repository.ts';
import type {
  CreateTransactionInput,
  TransactionDto,
  TransactionQueryInput,
  UpdateTransactionInput,
} from './transaction-schemas.ts';

/** Transactions: split lines, transfers, receipts; every write keeps the monthly roll-up in step. */

export const receiptRef = (transactionId: string) => ({ objectType: 'expense_transaction', objectId: transactionId });

export function toTransaction(row: repo.TransactionRow, lines: repo.LineRow[]): TransactionDto {
  return {
    id: row.id,
    kind: row.kind,
    accountId: row.account_id,
    date: row.date,
    amount: formatMoney(row.amount, row.currency),
    currency: row.currency,
    payeeId: row.payee_id,
    note: row.note,
    lines: lines.map((line) => ({
      id: line.id,
      amount: formatMoney(line.amount, row.currency),
      categoryId: line.category_id,
      tagIds: line.tag_ids,
      memo: line.memo,
    })),
    transfer:
      row.transfer_account_id && row.transfer_amount && row.transfer_currency
        ? {
            toAccountId: row.transfer_account_id,
            toAmount: formatMoney(row.transfer_amount, row.transfer_currency),
            toCurrency: row.transfer_currency,
          }
        : null,
    recurringId: row.recurring_id,
    occurrenceDate: row.occurrence_date,
    importBatchId: row.import_batch_id,
    bankId: row.bank_id,
    outOfRange: row.out_of_range,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** Rows with their lines, in one query for all the lines. */
export async function withLines(db: Db, rows: repo.TransactionRow[]): Promise<TransactionDto[]> {
  const lines = await repo.linesOf(
    db,
    rows.map((row) => row.id),
  );
  const byTransaction = Map.groupBy(lines, (line) => line.transaction_id);
  return rows.map((row) => toTransaction(row, byTransaction.get(row.id) ?? []));
}

export async function getTransaction(db: Db, userId: string, id: string) {
  const row = await repo.findTransaction(db, userId, id);
  if (!row) throw transactionNotFound();
  return (await withLines(db, [row]))[0] as TransactionDto;
}

export async function createTransaction(db: Db, userId: string, input: CreateTransactionInput) {
  const id = await inTransaction(db, async (trx) => {
    const checked = await checkTransaction(trx, userId, input);
    const [id] = (await repo.insertTransactions(trx, userId, [{ tx: checked }])) as [string];
    await rollUp(trx, [id], 1);
    for (const fileId of input.receiptIds ?? []) {
      await attachFile(trx, { ...receiptRef(id), fileId, userId });
    }
    return id;
  });
  return getTransaction(db, userId, id);
}

async function lockTransaction(trx: Trx, userId: string, id: string, expected: number | undefined) {
  const row = await repo.findTransaction(trx, userId, id, { lock: true });
  if (!row) throw transactionNotFound();
  checkVersion(expected, row.version);
  return row;
}

export async function updateTransaction(
  db: Db,
  userId: string,
  id: string,
  input: UpdateTransactionInput,
  expected: number | undefined,
) {
  await inTransaction(db, async (trx) => {
    const row = await lockTransaction(trx, userId, id, expected);
    const [current] = await withLines(trx, [row]);
    const merged = mergeChange(current as TransactionDto, input);
    const checked = await checkTransaction(trx, userId, merged);
    await rollUp(trx, [id], -1);
    await repo.replaceTransaction(trx, userId, id, checked);
    await rollUp(trx, [id], 1);
  });
  return getTransaction(db, userId, id);
}

/** The full input a change makes of the current transaction: new lines (or a single category) replace the split. */
function mergeChange(current: TransactionDto, change: UpdateTransactionInput): TransactionFields {
  const kind = change.kind ?? current.kind;
  const resplit = change.lines || change.categoryId !== undefined || change.tagIds !== undefined;
  const amount = change.amount ?? current.amount;
  // Kept lines must still add up: a new amount on a split without new lines is refused, never re-split.
  const keepLines = !resplit && current.kind !== 'transfer';
  const lines = keepLines
    ? current.lines.map((line) => ({ ...line, amount: current.lines.length === 1 ? amount : line.amount }))
    : change.lines;
  const transfer = kind === 'transfer';
  return {
    kind,
    accountId: change.accountId ?? current.accountId,
    date: change.date ?? current.date,
    amount,
    payeeId: change.payeeId !== undefined ? change.payeeId : current.payeeId,
    note: change.note ?? current.note,
    lines: transfer ? undefined : lines,
    categoryId: change.categoryId,
    tagIds: change.tagIds,
    toAccountId: transfer ? (change.toAccountId ?? current.transfer?.toAccountId) : change.toAccountId,
    toAmount: transfer
      ? (change.toAmount ?? (change.amount === undefined ? current.transfer?.toAmount : undefined))
      : change.toAmount,
  };
}

export async function deleteTransaction(db: Db, userId: string, id: string, expected: number | undefined) {
  await inTransaction(db, async (trx) => {
    await lockTransaction(trx, userId, id, expected);
    await rollUp(trx, [id], -1);
    await detachAll(trx, receiptRef(id));
    await repo.deleteTransactions(trx, [id]);
  });
}

export async function listTransactions(db: Db, userId: string, query: TransactionQueryInput) {
  const { cursor, limit, categoryId, ...filters } = query;
  if (filters.minAmount && filters.maxAmount && new Big(filters.minAmount).gt(filters.maxAmount)) {
    throw unprocessable([{ field: 'query.minAmount', message: 'is above maxAmount' }]);
  }
  const scope = cursorScope({ list: 'expense-transactions', categoryId, ...filters });
  const after = cursor ? (decodeCursor(cursor, scope, ['string', 'uuid']) as [string, string]) : undefined;
  if (after && !/^\d{4}-\d{2}-\d{2}$/.test(after[0])) {
    throw unprocessable([{ field: 'query.cursor', message: 'is not a valid cursor for this list' }]);
  }
  const categoryIds = categoryId ? await categoryFamily(db, userId, categoryId) : undefined;
  if (categoryIds?.length === 0) return { items: [], nextCursor: null };
  const rows = await transactionListQuery(db, userId, { ...filters, categoryIds }, { limit, after }).execute();
  const page = toPage(rows, limit, scope, (row) => [row.date, row.id]);
  return { items: await withLines(db, page.rows), nextCursor: page.nextCursor };
}

export async function attachReceipt(db: Db, userId: string, id: string, fileId: string) {
  await inTransaction(db, async (trx) => {
    await lockTransaction(trx, userId, id, undefined);
    await attachFile(trx, { ...receiptRef(id), fileId, userId });
  });
  return listReceipts(db, userId, id);
}

export async function listReceipts(db: Db, userId: string, id: string) {
  await getTransaction(db, userId, id);
  return { items: await listAttachments(db, receiptRef(id)) };
}

export async function detachReceipt(db: Db, userId: string, id: string, fileId: string) {
  await inTransaction(db, async (trx) => {
    await lockTransaction(trx, userId, id, undefined);
    if (!(await detachFile(trx, { ...receiptRef(id), fileId }))) throw receiptNotFound();
  });
}

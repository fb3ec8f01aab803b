import { type FieldError, unprocessable } from '../../../core/errors.ts';
import { checkVersion } from '../../../core/etag.ts';
import type { Db } from '../../../db/database.ts';
import { found, inTransaction } from '../../../db/transactions.ts';
import { accountInUse, accountNotFound } from '../errors.ts';
import { checkAmount, checkCurrency, formatMoney } from '../money.ts';
import { createdCursor, createdPage } from '../paging.ts';
import { uniqueName } from '../unique.ts';
import * as repo from './account-repository.ts';
import type { AccountDto, CreateAccountInput, UpdateAccountInput } from './account-schemas.ts';

/** Accounts: where money sits, each in one currency. */

export function toAccount(row: repo.AccountRow): AccountDto {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    currency: row.currency,
    openingBalance: formatMoney(row.opening_balance, row.currency),
    openingDate: row.opening_date,
    archived: row.archived_at !== null,
    balance: formatMoney(row.balance, row.currency),
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function getAccount(db: Db, userId: string, id: string) {
  const row = await repo.findAccount(db, userId, id);
  if (!row) throw accountNotFound();
  return toAccount(row);
}

const today = () => new Date().toISOString().slice(0, 10);

export async function createAccount(db: Db, userId: string, input: CreateAccountInput) {
  const errors: FieldError[] = [];
  if (checkCurrency(input.currency, 'body.currency', errors) && input.openingBalance !== undefined) {
    checkAmount(input.openingBalance, input.currency, 'body.openingBalance', errors);
  }
  if (errors.length) throw unprocessable(errors);
  const id = await uniqueName(
    'account',
    repo.insertAccount(db, {
      user_id: userId,
      name: input.name,
      type: input.type,
      currency: input.currency,
      opening_balance: input.openingBalance ?? '0',
      opening_date: input.openingDate ?? today(),
    }),
  );
  return toAccount(found(await repo.findAccount(db, userId, id)));
}

export async function listAccounts(
  db: Db,
  userId: string,
  query: { archived: boolean; limit: number; cursor?: string },
) {
  const { scope, after } = createdCursor('expense-accounts', { archived: query.archived }, query);
  const rows = await repo.listAccounts(db, userId, { archived: query.archived, limit: query.limit, after });
  return createdPage(rows, query.limit, scope, toAccount);
}

export async function updateAccount(
  db: Db,
  userId: string,
  id: string,
  input: UpdateAccountInput,
  expected: number | undefined,
) {
  await inTransaction(db, async (trx) => {
    const row = await repo.findAccount(trx, userId, id, { lock: true });
    if (!row) throw accountNotFound();
    checkVersion(expected, row.version);
    const errors: FieldError[] = [];
    if (input.openingBalance !== undefined) {
      checkAmount(input.openingBalance, row.currency, 'body.openingBalance', errors);
    }
    if (errors.length) throw unprocessable(errors);
    await uniqueName(
      'account',
      repo.updateAccount(trx, id, {
        ...(input.name !== undefined && { name: input.name }),
        ...(input.type !== undefined && { type: input.type }),
        ...(input.openingBalance !== undefined && { opening_balance: input.openingBalance }),
        ...(input.openingDate !== undefined && { opening_date: input.openingDate }),
        ...(input.archived !== undefined && { archived_at: input.archived ? (row.archived_at ?? new Date()) : null }),
      }),
    );
  });
  return getAccount(db, userId, id);
}

/** Only an account without transactions can be deleted (history is never lost silently): archive the others. */
export async function deleteAccount(db: Db, userId: string, id: string, expected: number | undefined) {
  await inTransaction(db, async (trx) => {
    const row = await repo.findAccount(trx, userId, id, { lock: true });
    if (!row) throw accountNotFound();
    checkVersion(expected, row.version);
    if (await repo.hasTransactions(trx, id)) throw accountInUse();
    await repo.deleteAccount(trx, id);
  });
}

export async function balanceAt(db: Db, userId: string, id: string, date: string) {
  const account = await getAccount(db, userId, id);
  const balance = await repo.balanceAt(db, id, date);
  return { accountId: id, date, currency: account.currency, balance: formatMoney(balance, account.currency) };
}

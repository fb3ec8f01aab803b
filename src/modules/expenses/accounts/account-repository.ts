import { type Insertable, sql, type Updateable } from 'kysely';
import type { Db, Trx } from '../../../db/database.ts';
import { afterCreated } from '../paging.ts';
import type { ExpenseAccountsTable } from '../tables.ts';

/** SQL for accounts and their balances (from the running totals the roll-up keeps, so a balance costs one row). */

function selectAccounts(db: Db) {
  return db.selectFrom('expense_accounts as a').select([
    'a.id',
    'a.user_id',
    'a.name',
    'a.type',
    'a.currency',
    sql<string>`a.opening_balance::text`.as('opening_balance'),
    sql<string>`a.opening_date::text`.as('opening_date'),
    'a.archived_at',
    'a.version',
    'a.created_at',
    'a.updated_at',
    sql<string>`(a.opening_balance + coalesce(
        (select t.amount from expense_account_totals t where t.account_id = a.id), 0))::text`.as('balance'),
  ]);
}

export type AccountRow = NonNullable<Awaited<ReturnType<typeof findAccount>>>;

export function findAccount(db: Db, userId: string, id: string, options: { lock?: boolean } = {}) {
  let query = selectAccounts(db).where('a.user_id', '=', userId).where('a.id', '=', id);
  if (options.lock) query = query.forUpdate('a');
  return query.executeTakeFirst();
}

/** The caller's accounts among `ids` (for checking the ones a transaction names). */
export function accountsByIds(db: Db, userId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('expense_accounts')
    .select(['id', 'currency', 'archived_at'])
    .where('user_id', '=', userId)
    .where('id', 'in', ids)
    .execute();
}

export function listAccounts(
  db: Db,
  userId: string,
  options: { archived: boolean; limit: number; after?: [string, string] | undefined },
) {
  let query = selectAccounts(db)
    .where('a.user_id', '=', userId)
    .where('a.archived_at', options.archived ? 'is not' : 'is', null)
    .orderBy('a.created_at')
    .orderBy('a.id')
    .limit(options.limit + 1);
  if (options.after) query = query.where(afterCreated('a', options.after));
  return query.execute();
}

export async function insertAccount(db: Db, values: Insertable<ExpenseAccountsTable>) {
  const row = await db.insertInto('expense_accounts').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateAccount(trx: Trx, id: string, values: Updateable<ExpenseAccountsTable>) {
  await trx
    .updateTable('expense_accounts')
    .set({ ...values, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export async function deleteAccount(trx: Trx, id: string) {
  await trx.deleteFrom('expense_accounts').where('id', '=', id).execute();
}

export async function hasTransactions(db: Db, accountId: string): Promise<boolean> {
  const row = await sql<{ used: boolean }>`select exists (
      select 1 from expense_transactions where account_id = ${accountId}
      union all select 1 from expense_transactions where transfer_account_id = ${accountId}) as used`.execute(db);
  return row.rows[0]?.used === true;
}

/**
 * The balance at the end of `date`: the opening balance (from its date on), the roll-up of the
 * months before `date`'s month, and that month's transactions up to `date` (both sides of transfers).
 */
export async function balanceAt(db: Db, accountId: string, date: string): Promise<string> {
  const result = await sql<{ balance: string }>`
    select (
      coalesce((select opening_balance from expense_accounts where id = ${accountId} and opening_date <= ${date}::date), 0)
      + coalesce((select sum(amount) from expense_monthly
          where account_id = ${accountId} and month < date_trunc('month', ${date}::date)), 0)
      + coalesce((select sum(case when kind = 'income' then amount else -amount end) from expense_transactions
          where account_id = ${accountId} and date between date_trunc('month', ${date}::date) and ${date}::date), 0)
      + coalesce((select sum(transfer_amount) from expense_transactions
          where transfer_account_id = ${accountId} and date between date_trunc('month', ${date}::date) and ${date}::date), 0)
    )::text as balance`.execute(db);
  return result.rows[0]?.balance ?? '0';
}

import { type RawBuilder, sql } from 'kysely';
import type { Db } from '../../../db/database.ts';

/**
 * The reports' SQL: every query reads the monthly roll-up (`expense_monthly`, one row per account,
 * category, kind and month) through its `(user_id, month, …)` or `(account_id, month)` index, so a
 * report costs the number of months and categories it covers, never the number of transactions
 * behind them nor the years before them (balances start from `expense_account_totals`). The
 * `…Query` builders are exported for the EXPLAIN checks (bench and tests).
 */

export interface Period {
  from: string;
  to: string;
}

async function rows<T>(db: Db, query: RawBuilder<T>): Promise<T[]> {
  return (await query.execute(db)).rows;
}

/** Spent per category, currency and month (positive = spent; refunds lower it). */
export function spendingQuery(userId: string, period: Period) {
  return sql<{ category_id: string | null; currency: string; month: string; amount: string }>`
    select m.category_id, m.currency, m.month::text as month, (-sum(m.amount))::text as amount
    from expense_monthly m
    where m.user_id = ${userId} and m.month between ${period.from}::date and ${period.to}::date and m.kind = 'expense'
    group by m.category_id, m.currency, m.month`;
}
export const spendingByCategory = (db: Db, userId: string, period: Period) => rows(db, spendingQuery(userId, period));

/** Signed sums per month, currency and kind; `liquidOnly` keeps cash, checking and savings accounts. */
export function flowsQuery(userId: string, period: Period, liquidOnly: boolean) {
  const liquid = liquidOnly
    ? sql`and m.account_id in (select id from expense_accounts where user_id = ${userId} and type in ('cash', 'checking', 'savings'))`
    : sql``;
  return sql<{ kind: string; currency: string; month: string; amount: string }>`
    select m.kind, m.currency, m.month::text as month, sum(m.amount)::text as amount
    from expense_monthly m
    where m.user_id = ${userId} and m.month between ${period.from}::date and ${period.to}::date ${liquid}
    group by m.kind, m.currency, m.month`;
}
export const flowsByMonth = (db: Db, userId: string, period: Period, options: { liquidOnly?: boolean } = {}) =>
  rows(db, flowsQuery(userId, period, options.liquidOnly ?? false));

/**
 * Every account with its opening balance and its movements up to the period's end (`closing`): the
 * account's running total less the months after the period, which on a report up to now are none.
 * The caller takes the period's own months off to start the window, so the history before it costs
 * nothing however long it is.
 */
export function accountsClosingQuery(userId: string, period: Period) {
  return sql<{ id: string; currency: string; opening_balance: string; opening_date: string; closing: string }>`
    select a.id, a.currency, a.opening_balance::text, a.opening_date::text,
      (coalesce((select t.amount from expense_account_totals t where t.account_id = a.id), 0)
        - coalesce((select sum(m.amount) from expense_monthly m where m.account_id = a.id and m.month > ${period.to}::date), 0)
      )::text as closing
    from expense_accounts a where a.user_id = ${userId}`;
}
export const accountsClosing = (db: Db, userId: string, period: Period) =>
  rows(db, accountsClosingQuery(userId, period));

/** Movements per account and month within the period. */
export function accountMonthsQuery(userId: string, period: Period) {
  return sql<{ account_id: string; month: string; amount: string }>`
    select m.account_id, m.month::text as month, sum(m.amount)::text as amount
    from expense_monthly m
    where m.user_id = ${userId} and m.month between ${period.from}::date and ${period.to}::date
    group by m.account_id, m.month`;
}
export const accountMonths = (db: Db, userId: string, period: Period) => rows(db, accountMonthsQuery(userId, period));

export function categoryNames(db: Db, userId: string) {
  return db
    .selectFrom('expense_categories')
    .select(['id', 'name', 'parent_id'])
    .where('user_id', '=', userId)
    .execute();
}

/** Makes a raw report query EXPLAIN-able like a Kysely builder (for `planOf`). */
export function explainable(db: Db, query: RawBuilder<unknown>) {
  return {
    explain: async (_format: 'json') => (await sql`explain (format json) ${query}`.execute(db)).rows,
  };
}

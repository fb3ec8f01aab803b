import { type Insertable, sql, type Updateable } from 'kysely';
import type { Db, Trx } from '../../../db/database.ts';
import { afterCreated } from '../paging.ts';
import type { ExpenseBudgetsTable } from '../tables.ts';

/** SQL for budgets and the spending they are measured against. */

function selectBudgets(db: Db) {
  return db
    .selectFrom('expense_budgets as b')
    .select([
      'b.id',
      'b.user_id',
      'b.category_id',
      sql<string>`b.amount::text`.as('amount'),
      'b.currency',
      'b.period',
      sql<string>`b.start_date::text`.as('start_date'),
      sql<string | null>`b.end_date::text`.as('end_date'),
      'b.rollover',
      'b.version',
      'b.created_at',
      'b.updated_at',
    ]);
}

export type BudgetRow = NonNullable<Awaited<ReturnType<typeof findBudget>>>;

export function findBudget(db: Db, userId: string, id: string, options: { lock?: boolean } = {}) {
  let query = selectBudgets(db).where('b.user_id', '=', userId).where('b.id', '=', id);
  if (options.lock) query = query.forUpdate('b');
  return query.executeTakeFirst();
}

export function listBudgets(
  db: Db,
  userId: string,
  options: { categoryId?: string | undefined; limit: number; after?: [string, string] | undefined },
) {
  let query = selectBudgets(db)
    .where('b.user_id', '=', userId)
    .orderBy('b.created_at')
    .orderBy('b.id')
    .limit(options.limit + 1);
  if (options.categoryId) query = query.where('b.category_id', '=', options.categoryId);
  if (options.after) query = query.where(afterCreated('b', options.after));
  return query.execute();
}

export async function insertBudget(db: Db, values: Insertable<ExpenseBudgetsTable>) {
  return (await db.insertInto('expense_budgets').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateBudget(trx: Trx, id: string, values: Updateable<ExpenseBudgetsTable>) {
  await trx
    .updateTable('expense_budgets')
    .set({ ...values, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export async function deleteBudget(trx: Trx, id: string) {
  await trx.deleteFrom('expense_budgets').where('id', '=', id).execute();
}

/**
 * Spending in the categories between two dates, per period index and currency: one range scan of
 * the lines' `(category_id, date)` index. `monthly` numbers months from the start's month, `weekly`
 * weeks from the start day, `custom` has the one period 0. Money the other way than the category's
 * kind counts against it: a refund on an expense category lowers what was spent.
 */
export async function spendingByPeriod(
  db: Db,
  budget: { period: string; start_date: string },
  categoryIds: string[],
  range: { from: string; to: string },
) {
  const index =
    budget.period === 'monthly'
      ? sql`((extract(year from l.date) - extract(year from ${budget.start_date}::date)) * 12
          + extract(month from l.date) - extract(month from ${budget.start_date}::date))::int`
      : budget.period === 'weekly'
        ? sql`((l.date - ${budget.start_date}::date) / 7)::int`
        : sql`0`;
  const result = await sql<{ index: number; currency: string; amount: string }>`
    select ${index} as index, t.currency,
      sum(case when t.kind = c.kind then l.amount else -l.amount end)::text as amount
    from expense_lines l join expense_transactions t on t.id = l.transaction_id
      join expense_categories c on c.id = l.category_id
    where l.category_id = any(${sql.val(categoryIds)}::uuid[]) and l.date between ${range.from}::date and ${range.to}::date
    group by 1, 2`.execute(db);
  return result.rows;
}

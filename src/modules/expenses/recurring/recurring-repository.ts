import { type Insertable, sql, type Updateable } from 'kysely';
import type { Db, Trx } from '../../../db/database.ts';
import { afterCreated } from '../paging.ts';
import type { ExpenseRecurringTable } from '../tables.ts';

/** SQL for recurring rules. */

function selectRules(db: Db) {
  return db
    .selectFrom('expense_recurring as r')
    .innerJoin('expense_accounts as a', 'a.id', 'r.account_id')
    .select([
      'r.id',
      'r.user_id',
      'r.name',
      'r.account_id',
      'a.currency',
      'r.template',
      'r.rule',
      sql<string>`r.start_date::text`.as('start_date'),
      sql<string | null>`r.next_date::text`.as('next_date'),
      'r.made',
      sql<string | null>`r.expected_min::text`.as('expected_min'),
      sql<string | null>`r.expected_max::text`.as('expected_max'),
      'r.version',
      'r.created_at',
      'r.updated_at',
    ]);
}

export type RuleRow = NonNullable<Awaited<ReturnType<typeof findRule>>>;

export function findRule(db: Db, userId: string, id: string, options: { lock?: boolean } = {}) {
  let query = selectRules(db).where('r.user_id', '=', userId).where('r.id', '=', id);
  if (options.lock) query = query.forUpdate('r');
  return query.executeTakeFirst();
}

export function listRules(db: Db, userId: string, options: { limit: number; after?: [string, string] | undefined }) {
  let query = selectRules(db)
    .where('r.user_id', '=', userId)
    .orderBy('r.created_at')
    .orderBy('r.id')
    .limit(options.limit + 1);
  if (options.after) query = query.where(afterCreated('r', options.after));
  return query.execute();
}

/** Rules with an occurrence due by `today`, oldest due first (the job's scan, on the partial index). */
export async function dueRuleIds(db: Db, today: string, limit: number) {
  const rows = await db
    .selectFrom('expense_recurring')
    .select(['id', 'user_id'])
    .where('next_date', '<=', today)
    .orderBy('next_date')
    .limit(limit)
    .execute();
  return rows;
}

/** Locks a due rule for the runner; another runner holding it is skipped, not waited for. */
export function lockDueRule(trx: Trx, id: string, today: string) {
  return selectRules(trx)
    .where('r.id', '=', id)
    .where(sql<boolean>`r.next_date <= ${today}::date`)
    .forUpdate('r')
    .skipLocked()
    .executeTakeFirst();
}

export async function insertRule(db: Db, values: Insertable<ExpenseRecurringTable>) {
  return (await db.insertInto('expense_recurring').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateRule(trx: Trx, id: string, values: Updateable<ExpenseRecurringTable>) {
  await trx
    .updateTable('expense_recurring')
    .set({ ...values, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

/** The runner's progress: not a user's edit, so the version (ETag) stays. */
export async function advanceRule(trx: Trx, id: string, nextDate: string | null, made: number) {
  await trx.updateTable('expense_recurring').set({ next_date: nextDate, made }).where('id', '=', id).execute();
}

export async function deleteRule(trx: Trx, id: string) {
  await trx.deleteFrom('expense_recurring').where('id', '=', id).execute();
}

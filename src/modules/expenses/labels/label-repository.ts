import { type Insertable, sql, type Updateable } from 'kysely';
import type { Db, Trx } from '../../../db/database.ts';
import { afterCreated } from '../paging.ts';
import type { ExpenseCategoriesTable } from '../tables.ts';

/** SQL for categories, and for tags and payees (the same shape: a name per user). */

export type NamedTable = 'expense_tags' | 'expense_payees';

export function findCategory(db: Db, userId: string, id: string, options: { lock?: boolean } = {}) {
  let query = db.selectFrom('expense_categories').selectAll().where('user_id', '=', userId).where('id', '=', id);
  if (options.lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export type CategoryRow = NonNullable<Awaited<ReturnType<typeof findCategory>>>;

export function categoriesByIds(db: Db, userId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('expense_categories')
    .select(['id', 'kind', 'parent_id'])
    .where('user_id', '=', userId)
    .where('id', 'in', ids)
    .execute();
}

export function listCategories(
  db: Db,
  userId: string,
  options: { kind?: string | undefined; limit: number; after?: [string, string] | undefined },
) {
  let query = db
    .selectFrom('expense_categories as c')
    .selectAll('c')
    .where('c.user_id', '=', userId)
    .orderBy('c.created_at')
    .orderBy('c.id')
    .limit(options.limit + 1);
  if (options.kind) query = query.where('c.kind', '=', options.kind as 'expense');
  if (options.after) query = query.where(afterCreated('c', options.after));
  return query.execute();
}

export async function insertCategory(db: Db, values: Insertable<ExpenseCategoriesTable>) {
  return (await db.insertInto('expense_categories').values(values).returning('id').executeTakeFirstOrThrow()).id;
}

export async function updateCategory(trx: Trx, id: string, values: Updateable<ExpenseCategoriesTable>) {
  await trx
    .updateTable('expense_categories')
    .set({ ...values, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', id)
    .execute();
}

export async function hasChildren(db: Db, id: string): Promise<boolean> {
  return (
    (await db.selectFrom('expense_categories').select('id').where('parent_id', '=', id).limit(1).executeTakeFirst()) !==
    undefined
  );
}

export async function hasLines(db: Db, categoryId: string): Promise<boolean> {
  const line = await db
    .selectFrom('expense_lines')
    .select('id')
    .where('category_id', '=', categoryId)
    .limit(1)
    .executeTakeFirst();
  return line !== undefined;
}

export async function deleteCategory(trx: Trx, id: string) {
  await trx.deleteFrom('expense_categories').where('id', '=', id).execute();
}

export function findNamed(db: Db, table: NamedTable, userId: string, id: string) {
  return db.selectFrom(table).selectAll().where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
}

export function namedByIds(db: Db, table: NamedTable, userId: string, ids: string[]) {
  if (ids.length === 0) return Promise.resolve([]);
  return db.selectFrom(table).select('id').where('user_id', '=', userId).where('id', 'in', ids).execute();
}

export function listNamed(
  db: Db,
  table: NamedTable,
  userId: string,
  options: { q?: string | undefined; limit: number; after?: [string, string] | undefined },
) {
  let query = db
    .selectFrom(`${table} as n`)
    .selectAll('n')
    .where('n.user_id', '=', userId)
    .orderBy('n.created_at')
    .orderBy('n.id')
    .limit(options.limit + 1);
  if (options.q)
    query = query.where(sql<boolean>`lower(n.name) like ${`${options.q.toLowerCase().replace(/[\\%_]/g, '\\$&')}%`}`);
  if (options.after) query = query.where(afterCreated('n', options.after));
  return query.execute();
}

export async function insertNamed(db: Db, table: NamedTable, userId: string, name: string) {
  return db.insertInto(table).values({ user_id: userId, name }).returningAll().executeTakeFirstOrThrow();
}

export async function renameNamed(db: Db, table: NamedTable, userId: string, id: string, name: string) {
  return db
    .updateTable(table)
    .set({ name })
    .where('user_id', '=', userId)
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
}

export async function deleteNamed(db: Db, table: NamedTable, userId: string, id: string) {
  const result = await db.deleteFrom(table).where('user_id', '=', userId).where('id', '=', id).executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** Moves every transaction (and recurring rule) of payee `fromId` to `intoId`; the count moved. */
export async function movePayee(trx: Trx, fromId: string, intoId: string) {
  const moved = await trx
    .updateTable('expense_transactions')
    .set({ payee_id: intoId, version: sql`version + 1`, updated_at: sql`now()` })
    .where('payee_id', '=', fromId)
    .executeTakeFirst();
  await sql`update expense_recurring set template = jsonb_set(template, '{payeeId}', to_jsonb(${intoId}::text))
    where template->>'payeeId' = ${fromId}`.execute(trx);
  return Number(moved.numUpdatedRows);
}

/** A category of the caller's and its subcategories (empty when it is not theirs: the filter then matches nothing). */
export async function categoryFamily(db: Db, userId: string, id: string): Promise<string[]> {
  const rows = await db
    .selectFrom('expense_categories')
    .select('id')
    .where('user_id', '=', userId)
    .where((eb) => eb.or([eb('id', '=', id), eb('parent_id', '=', id)]))
    .execute();
  return rows.map((row) => row.id);
}

/** The caller's payees with these names, in any case: probes of expense_payees_name_idx. */
export function payeesByNames(db: Db, userId: string, names: string[]) {
  if (names.length === 0) return Promise.resolve([]);
  return db
    .selectFrom('expense_payees')
    .select(['id', 'name'])
    .where('user_id', '=', userId)
    .where(
      sql<string>`lower(name)`,
      'in',
      names.map((name) => name.toLowerCase()),
    )
    .execute();
}

/**
 * Creates the payees of these names that the caller lacks (a concurrent writer creating the same
 * one is no clash: the name index makes the second insert a no-op) and returns all of them.
 */
export async function ensurePayees(trx: Trx, userId: string, names: string[]) {
  if (names.length === 0) return [];
  await sql`insert into expense_payees (user_id, name)
    select ${userId}::uuid, name from unnest(${sql.val(names)}::text[]) as name
    on conflict do nothing`.execute(trx);
  return payeesByNames(trx, userId, names);
}

/** All the caller's categories, for resolving names (a user has tens, not thousands). */
export function allCategories(db: Db, userId: string) {
  return db
    .selectFrom('expense_categories')
    .select(['id', 'name', 'parent_id', 'kind'])
    .where('user_id', '=', userId)
    .execute();
}

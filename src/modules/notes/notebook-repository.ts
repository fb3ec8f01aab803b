import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';

/** SQL for notebooks: a tree per owner (parent_id), names unique within a folder. */

const columns = ['id', 'name', 'parent_id', 'version', 'created_at', 'updated_at'] as const;

/** The caller's notebook; undefined when they have none with this id. */
export function findNotebook(db: Db, ownerId: string, notebookId: string) {
  return db
    .selectFrom('note_notebooks')
    .select(columns)
    .where('owner_id', '=', ownerId)
    .where('id', '=', notebookId)
    .executeTakeFirst();
}

/** The caller's notebook, locked until commit, so its version is checked and bumped by one writer at a time. */
export function lockNotebook(trx: Trx, ownerId: string, notebookId: string) {
  return trx
    .selectFrom('note_notebooks')
    .select(columns)
    .where('owner_id', '=', ownerId)
    .where('id', '=', notebookId)
    .forUpdate()
    .executeTakeFirst();
}

/** A notebook by name (case-insensitive) within a folder (`parentId` null: the top). */
export function findNotebookByName(db: Db, ownerId: string, parentId: string | null, name: string) {
  let query = db
    .selectFrom('note_notebooks')
    .select('id')
    .where('owner_id', '=', ownerId)
    .where(sql<boolean>`lower(name) = lower(${name})`);
  query = parentId ? query.where('parent_id', '=', parentId) : query.where('parent_id', 'is', null);
  return query.executeTakeFirst();
}

export type NotebookRow = NonNullable<Awaited<ReturnType<typeof findNotebook>>>;

/** By name then id, keyset on (lower(name), id). */
export function listNotebooks(db: Db, ownerId: string, options: { limit: number; after?: [string, string] }) {
  let query = db.selectFrom('note_notebooks').select(columns).where('owner_id', '=', ownerId);
  if (options.after) {
    const [name, id] = options.after;
    query = query.where(sql<boolean>`(lower(name), id) > (${name}, ${id}::uuid)`);
  }
  return query
    .orderBy(sql`lower(name)`)
    .orderBy('id')
    .limit(options.limit + 1)
    .execute();
}

export async function insertNotebook(trx: Trx, ownerId: string, name: string, parentId: string | null) {
  const row = await trx
    .insertInto('note_notebooks')
    .values({ owner_id: ownerId, name, parent_id: parentId })
    .returning('id')
    .executeTakeFirstOrThrow();
  return row.id;
}

/** Writes a change: the version (ETag) goes up by one. */
export async function updateNotebook(
  trx: Trx,
  notebookId: string,
  values: { name?: string; parent_id?: string | null },
) {
  await trx
    .updateTable('note_notebooks')
    .set({ ...values, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', notebookId)
    .execute();
}

/** The notebook and every notebook under it (bounded, in case). */
export async function subtree(db: Db, notebookId: string): Promise<string[]> {
  const rows = await sql<{ id: string }>`
    with recursive down (id, depth) as (
      select id, 1 from note_notebooks where id = ${notebookId}
      union all
      select c.id, d.depth + 1 from note_notebooks c join down d on c.parent_id = d.id where d.depth < 1000
    )
    select id from down`.execute(db);
  return rows.rows.map((row) => row.id);
}

/** Notes in these notebooks, locked, so each can be moved out as a change of its own. */
export function lockNotesIn(trx: Trx, ownerId: string, notebookIds: string[]) {
  return trx
    .selectFrom('notes')
    .select('id')
    .where('owner_id', '=', ownerId)
    .where('notebook_id', 'in', notebookIds)
    .orderBy('id')
    .forUpdate()
    .execute();
}

export async function deleteNotebook(trx: Trx, notebookId: string) {
  await trx.deleteFrom('note_notebooks').where('id', '=', notebookId).execute();
}

/** Each notebook's path from the root ("Work / Projects"), for export. */
export async function notebookPaths(db: Db, ownerId: string): Promise<Map<string, string[]>> {
  const rows = await sql<{ id: string; path: string[] }>`
    with recursive tree (id, path, depth) as (
      select id, array[name], 1 from note_notebooks where owner_id = ${ownerId} and parent_id is null
      union all
      select c.id, t.path || c.name, t.depth + 1 from note_notebooks c join tree t on c.parent_id = t.id
      where t.depth < 1000
    )
    select id, path from tree`.execute(db);
  return new Map(rows.rows.map((row) => [row.id, row.path]));
}

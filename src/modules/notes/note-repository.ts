import { type Insertable, sql, type Updateable } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import { exists } from '../../db/exists.ts';
import type { NotesTable } from './tables.ts';

/** SQL for one note at a time: reads, writes, links. Lists and search: `note-list-query.ts`. */

/** Every column a note's API shape needs (never the search vector). */
export const noteColumns = [
  'n.id',
  'n.owner_id',
  'n.notebook_id',
  'n.title',
  'n.body',
  'n.tags',
  'n.all_tags',
  'n.pinned',
  'n.archived',
  'n.version',
  'n.sync_seq',
  'n.created_at',
  'n.updated_at',
  'n.trashed_at',
] as const;

export type NoteRow = NonNullable<Awaited<ReturnType<typeof findNote>>>;

/** The caller's note (in the trash or not); undefined when they have none with this id. */
export function findNote(db: Db, ownerId: string, noteId: string, options: { lock?: boolean } = {}) {
  let query = db
    .selectFrom('notes as n')
    .select(noteColumns)
    .where('n.owner_id', '=', ownerId)
    .where('n.id', '=', noteId);
  if (options.lock) query = query.forUpdate();
  return query.executeTakeFirst();
}

export async function insertNote(trx: Trx, values: Insertable<NotesTable>) {
  await trx.insertInto('notes').values(values).execute();
}

/** Writes a change: the version (ETag) goes up by one; `touch` says whether `updated_at` moves. */
export async function updateNote(trx: Trx, ownerId: string, noteId: string, values: Updateable<NotesTable>) {
  await trx
    .updateTable('notes')
    .set({ ...values, version: sql`version + 1`, updated_at: sql`now()` })
    .where('owner_id', '=', ownerId)
    .where('id', '=', noteId)
    .execute();
}

export async function deleteNote(trx: Trx, ownerId: string, noteId: string) {
  await trx.deleteFrom('notes').where('owner_id', '=', ownerId).where('id', '=', noteId).execute();
}

export function notebookIsOwn(db: Db, ownerId: string, notebookId: string): Promise<boolean> {
  return exists(db.selectFrom('note_notebooks').where('id', '=', notebookId).where('owner_id', '=', ownerId));
}

/** Replaces the links out of a note: title links are stored folded, as `notes_fold(title)` of the target. */
export async function setLinks(
  trx: Trx,
  ownerId: string,
  sourceId: string,
  links: { titles: string[]; ids: string[] },
) {
  await trx.deleteFrom('note_links').where('owner_id', '=', ownerId).where('source_id', '=', sourceId).execute();
  const rows = [
    ...links.ids.map((id) => sql`(${ownerId}::uuid, ${sourceId}::uuid, ${id}::uuid, null)`),
    ...links.titles.map((title) => sql`(${ownerId}::uuid, ${sourceId}::uuid, null, notes_fold(${title}))`),
  ];
  if (!rows.length) return;
  await sql`insert into note_links (owner_id, source_id, target_id, target_title) values ${sql.join(rows)}`.execute(
    trx,
  );
}

/**
 * Notes (not in the trash) that link to `note`: by its id, or by its title — which also finds links
 * written before a note with that title existed.
 */
export function backlinks(db: Db, ownerId: string, noteId: string, title: string) {
  return db
    .selectFrom('notes as n')
    .select(['n.id', 'n.title', 'n.updated_at'])
    .where('n.owner_id', '=', ownerId)
    .where('n.trashed_at', 'is', null)
    .where('n.id', '!=', noteId)
    .where('n.id', 'in', (eb) =>
      eb
        .selectFrom('note_links as l')
        .select('l.source_id')
        .where('l.owner_id', '=', ownerId)
        .where((inner) =>
          inner.or([
            inner('l.target_id', '=', noteId),
            ...(title.trim() ? [inner('l.target_title', '=', sql<string>`notes_fold(${title.trim()})`)] : []),
          ]),
        ),
    )
    .orderBy('n.updated_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(500)
    .execute();
}

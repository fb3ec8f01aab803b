import { type Insertable, type SqlBool, sql, type Updateable } from 'kysely';
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

export interface BacklinkParams {
  ownerId: string;
  noteId: string;
  /** The target's title: `[[title]]` links match it folded, also those written before it existed. */
  title: string;
  /** The (updated_at ISO, id) of the last row of the previous page. */
  after?: [string, string] | undefined;
  limit: number;
}

/**
 * One page of the notes (not in the trash) that link to a note, by its id or its title: newest
 * change first, keyset on (updated_at, id) like the note list. Exported so `explain.test.ts` proves
 * it index-backed: the links come through note_links_target_id_idx / note_links_target_title_idx,
 * their notes through the primary key — or, for a note most others link to, in order through
 * notes_owner_updated_idx, whichever the planner finds cheaper.
 */
export function backlinksQuery(db: Db, params: BacklinkParams) {
  const { ownerId, noteId } = params;
  const title = params.title.trim();
  let query = db
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
            ...(title ? [inner('l.target_title', '=', sql<string>`notes_fold(${title})`)] : []),
          ]),
        ),
    );
  if (params.after) {
    const [updatedAt, id] = params.after;
    query = query.where(sql<SqlBool>`(n.updated_at, n.id) < (${updatedAt}::timestamptz, ${id}::uuid)`);
  }
  return query
    .orderBy('n.updated_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(params.limit + 1);
}

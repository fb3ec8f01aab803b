import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';

/** SQL for a note's revisions: recording (with coalescing and retention), listing, reading. */

export interface Snapshot {
  title: string;
  body: string;
  tags: string[];
  notebook_id: string | null;
}

export interface RecordOptions {
  ownerId: string;
  noteId: string;
  authorId: string;
  /** Edits by the same author within this many seconds of the latest revision update it in place. */
  windowSeconds: number;
  /** Revisions kept; older ones are dropped. */
  keep: number;
  /** A restore always makes a revision of its own, naming the one it brought back. */
  restoredFrom?: number;
}

/**
 * Records the note's new state. Called with the note's row locked, so two writers of one note
 * never pick the same number.
 */
export async function recordRevision(trx: Trx, snapshot: Snapshot, options: RecordOptions) {
  const { ownerId, noteId } = options;
  const latest = await trx
    .selectFrom('note_revisions')
    .select([
      'rev',
      'author_id',
      'restored_from',
      sql<boolean>`updated_at > now() - make_interval(secs => ${options.windowSeconds})`.as('recent'),
    ])
    .where('owner_id', '=', ownerId)
    .where('note_id', '=', noteId)
    .orderBy('rev', 'desc')
    .limit(1)
    .executeTakeFirst();
  const coalesce =
    latest &&
    options.restoredFrom === undefined &&
    latest.restored_from === null &&
    latest.author_id === options.authorId &&
    latest.recent;
  if (coalesce) {
    await trx
      .updateTable('note_revisions')
      .set({ ...snapshot, updated_at: sql`now()` })
      .where('owner_id', '=', ownerId)
      .where('note_id', '=', noteId)
      .where('rev', '=', latest.rev)
      .execute();
    return latest.rev;
  }
  const rev = (latest?.rev ?? 0) + 1;
  await trx
    .insertInto('note_revisions')
    .values({
      owner_id: ownerId,
      note_id: noteId,
      rev,
      author_id: options.authorId,
      restored_from: options.restoredFrom ?? null,
      ...snapshot,
    })
    .execute();
  await trx
    .deleteFrom('note_revisions')
    .where('owner_id', '=', ownerId)
    .where('note_id', '=', noteId)
    .where('rev', '<=', rev - options.keep)
    .execute();
  return rev;
}

const revisionColumns = [
  'rev',
  'author_id',
  'title',
  'tags',
  'notebook_id',
  'restored_from',
  'created_at',
  'updated_at',
] as const;

/** Newest first, keyset on `rev` through the primary key. */
export function revisionsQuery(
  db: Db,
  ownerId: string,
  noteId: string,
  options: { limit: number; beforeRev?: number },
) {
  let query = db
    .selectFrom('note_revisions')
    .select([...revisionColumns, sql<number>`char_length(body)`.as('length')])
    .where('owner_id', '=', ownerId)
    .where('note_id', '=', noteId);
  if (options.beforeRev !== undefined) query = query.where('rev', '<', options.beforeRev);
  return query.orderBy('rev', 'desc').limit(options.limit + 1);
}

export function findRevision(db: Db, ownerId: string, noteId: string, rev: number) {
  return db
    .selectFrom('note_revisions')
    .select([...revisionColumns, 'body'])
    .where('owner_id', '=', ownerId)
    .where('note_id', '=', noteId)
    .where('rev', '=', rev)
    .executeTakeFirst();
}

export type RevisionRow = NonNullable<Awaited<ReturnType<typeof findRevision>>>;

import type { Db } from '../../db/database.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { cursorExpired } from './errors.ts';
import { toNote } from './mappers.ts';
import type { NoteRow } from './note-repository.ts';
import { changesQuery, syncState } from './sync-repository.ts';

/** GET /api/notes/changes: the sync feed (see sync-repository.ts for why its order is safe). */

const SCOPE = 'note-changes';

/**
 * A cursor says what the client has: every change up to `seq`, and every deletion up to `floor`.
 * A full sync (no cursor) starts with nothing, which is as good as having applied every deletion
 * already forgotten (`pruned_seq`): that is its floor. A deletion forgotten above both means the
 * client may hold a note that is gone: 410, resync.
 */
export async function changes(db: Db, userId: string, query: { cursor?: string | undefined; limit: number }) {
  const state = await syncState(db, userId);
  const pruned = Number(state?.pruned_seq ?? 0);
  let [afterSeq, floor] = [0, pruned];
  if (query.cursor) {
    [afterSeq, floor] = decodeCursor(query.cursor, SCOPE, ['integer', 'integer']) as [number, number];
    if (pruned > Math.max(afterSeq, floor)) throw cursorExpired();
  }
  const rows = await changesQuery(db, userId, afterSeq, query.limit).execute();
  const page = rows.slice(0, query.limit);
  const lastSeq = page.length ? Number(page[page.length - 1]?.seq) : afterSeq;
  return {
    items: page.map((row) => {
      if (row.deleted) return { id: row.note_id, deleted: true, note: null };
      // The join found the note: the change and the note were read in one snapshot.
      return { id: row.note_id, deleted: false, note: toNote(row as NoteRow) };
    }),
    nextCursor: encodeCursor(SCOPE, [lastSeq, floor]),
    hasMore: rows.length > query.limit,
  };
}

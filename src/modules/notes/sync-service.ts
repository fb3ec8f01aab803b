import type { Db } from '../../db/database.ts';
import { decodeCursor, encodeCursor } from '../../lib/cursor.ts';
import { cursorExpired } from './errors.ts';
import { toNote } from './mappers.ts';
import type { NoteRow } from './note-repository.ts';
import { changesQuery, syncState } from './sync-repository.ts';

/** GET /api/notes/changes: the sync feed (see sync-repository.ts for why its order is safe). */

const SCOPE = 'note-changes';

export async function changes(db: Db, userId: string, query: { cursor?: string | undefined; limit: number }) {
  const afterSeq = query.cursor ? (decodeCursor(query.cursor, SCOPE, ['integer'])[0] as number) : 0;
  // A cursor from before the last pruned deletion may have missed it: only a resync is safe.
  // A first sync (no cursor) reads today's notes and needs no deletions.
  if (query.cursor) {
    const state = await syncState(db, userId);
    if (state && afterSeq < Number(state.pruned_seq)) throw cursorExpired();
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
    nextCursor: encodeCursor(SCOPE, [lastSeq]),
    hasMore: rows.length > query.limit,
  };
}

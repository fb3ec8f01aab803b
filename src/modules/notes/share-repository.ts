import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';

/** SQL for share links: only a token's SHA-256 is stored, so the table never holds a usable link. */

const columns = [
  'id',
  'expires_at',
  'created_at',
  sql<boolean>`expires_at is not null and expires_at <= now()`.as('expired'),
] as const;

export async function insertShare(
  trx: Trx,
  values: { ownerId: string; noteId: string; tokenHash: Buffer; expiresAt: Date | null },
) {
  return trx
    .insertInto('note_shares')
    .values({
      owner_id: values.ownerId,
      note_id: values.noteId,
      token_hash: values.tokenHash,
      expires_at: values.expiresAt,
    })
    .returning(columns)
    .executeTakeFirstOrThrow();
}

/** A note's links that have not been revoked, newest first (through note_shares_note_idx). */
export function listShares(db: Db, ownerId: string, noteId: string) {
  return db
    .selectFrom('note_shares')
    .select(columns)
    .where('owner_id', '=', ownerId)
    .where('note_id', '=', noteId)
    .where('revoked_at', 'is', null)
    .orderBy('created_at', 'desc')
    .limit(100)
    .execute();
}

/** Revokes a link; false when the note has no such live link. */
export async function revokeShare(db: Db, ownerId: string, noteId: string, shareId: string) {
  const result = await db
    .updateTable('note_shares')
    .set({ revoked_at: sql`now()` })
    .where('id', '=', shareId)
    .where('owner_id', '=', ownerId)
    .where('note_id', '=', noteId)
    .where('revoked_at', 'is', null)
    .executeTakeFirst();
  return result.numUpdatedRows > 0n;
}

/** The note a live link opens: not revoked, not expired, and the note not in the trash. */
export function sharedNote(db: Db, tokenHash: Buffer) {
  return db
    .selectFrom('note_shares as s')
    .innerJoin('notes as n', (join) => join.onRef('n.owner_id', '=', 's.owner_id').onRef('n.id', '=', 's.note_id'))
    .select(['n.title', 'n.body', 'n.all_tags', 'n.updated_at'])
    .where('s.token_hash', '=', tokenHash)
    .where('s.revoked_at', 'is', null)
    .where((eb) => eb.or([eb('s.expires_at', 'is', null), eb('s.expires_at', '>', sql<Date>`now()`)]))
    .where('n.trashed_at', 'is', null)
    .executeTakeFirst();
}

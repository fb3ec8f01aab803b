import type { Db, Trx } from '../../../db/database.ts';

/** Refresh tokens: one row per token issued, stored as a digest; each works once (rotation). */

export async function insertRefreshToken(db: Db, sessionId: string, tokenHash: string, expiresAt: Date) {
  await db
    .insertInto('auth_refresh_tokens')
    .values({ session_id: sessionId, token_hash: tokenHash, expires_at: expiresAt })
    .execute();
}

/** Locks a refresh token and its session row for the rotation that is about to happen. */
export function lockRefreshToken(trx: Trx, tokenHash: string) {
  return trx
    .selectFrom('auth_refresh_tokens as t')
    .innerJoin('auth_sessions as s', 's.id', 't.session_id')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select([
      't.id',
      't.session_id',
      't.used_at',
      't.expires_at',
      's.user_id',
      's.revoked_at',
      's.expires_at as session_expires_at',
      'u.disabled_at',
    ])
    .where('t.token_hash', '=', tokenHash)
    .forUpdate('t')
    .executeTakeFirst();
}

export async function markRefreshTokenUsed(trx: Trx, id: string): Promise<void> {
  await trx.updateTable('auth_refresh_tokens').set({ used_at: new Date() }).where('id', '=', id).execute();
}

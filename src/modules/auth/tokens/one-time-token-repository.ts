import type { Db } from '../../../db/database.ts';
import type { OneTimeTokenPurpose } from '../tables.ts';

/**
 * Stores a new one-time token. With `supersede`, every older token of the same user and purpose is
 * deleted first (a new reset link kills the previous one); otherwise only expired ones are.
 */
export async function insertOneTimeToken(
  db: Db,
  token: {
    userId: string;
    purpose: OneTimeTokenPurpose;
    tokenHash: string;
    email: string | null;
    expiresAt: Date;
    supersede: boolean;
    details?: Record<string, unknown>;
  },
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    let stale = trx
      .deleteFrom('auth_one_time_tokens')
      .where('user_id', '=', token.userId)
      .where('purpose', '=', token.purpose);
    if (!token.supersede) stale = stale.where('expires_at', '<=', new Date());
    await stale.execute();
    await trx
      .insertInto('auth_one_time_tokens')
      .values({
        user_id: token.userId,
        purpose: token.purpose,
        token_hash: token.tokenHash,
        email: token.email,
        expires_at: token.expiresAt,
        details: JSON.stringify(token.details ?? {}),
      })
      .execute();
  });
}

/** A token that could still be used (unused, unexpired), without using it. */
export function findLiveOneTimeToken(db: Db, purpose: OneTimeTokenPurpose, tokenHash: string) {
  return db
    .selectFrom('auth_one_time_tokens')
    .select(['id', 'user_id', 'email', 'details'])
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .executeTakeFirst();
}

/**
 * Uses a token: one conditional UPDATE, so of two concurrent attempts exactly one gets the row
 * back. Unknown, used, expired and wrong-purpose tokens all come back undefined.
 */
export function consumeOneTimeToken(db: Db, purpose: OneTimeTokenPurpose, tokenHash: string) {
  return db
    .updateTable('auth_one_time_tokens')
    .set({ used_at: new Date() })
    .where('token_hash', '=', tokenHash)
    .where('purpose', '=', purpose)
    .where('used_at', 'is', null)
    .where('expires_at', '>', new Date())
    .returning(['user_id', 'email', 'details'])
    .executeTakeFirst();
}

/**
 * Deletes the tokens of the same user and purpose issued after this one. Compared in SQL against
 * the token's own row, so no precision is lost between PostgreSQL's microseconds and JavaScript's
 * milliseconds.
 */
export async function deleteLaterOneTimeTokens(db: Db, purpose: OneTimeTokenPurpose, tokenHash: string): Promise<void> {
  const self = db.selectFrom('auth_one_time_tokens').where('token_hash', '=', tokenHash).where('purpose', '=', purpose);
  await db
    .deleteFrom('auth_one_time_tokens')
    .where('purpose', '=', purpose)
    .where('user_id', '=', self.select('user_id'))
    .where('created_at', '>', self.select('created_at'))
    .execute();
}

import type { Db } from '../../../db/database.ts';

export async function insertOAuthState(
  db: Db,
  state: {
    stateHash: string;
    provider: string;
    nonce: string;
    codeVerifier: string;
    bindingHash: string;
    expiresAt: Date;
  },
): Promise<void> {
  // Abandoned flows are swept as new ones start (auth_oauth_states_expires_at_idx).
  await db.deleteFrom('auth_oauth_states').where('expires_at', '<=', new Date()).execute();
  await db
    .insertInto('auth_oauth_states')
    .values({
      state_hash: state.stateHash,
      provider: state.provider,
      nonce: state.nonce,
      code_verifier: state.codeVerifier,
      binding_hash: state.bindingHash,
      expires_at: state.expiresAt,
    })
    .execute();
}

/** Takes a flow's state out of the store: one DELETE, so only one callback can ever use it. */
export function takeOAuthState(db: Db, stateHash: string) {
  return db
    .deleteFrom('auth_oauth_states')
    .where('state_hash', '=', stateHash)
    .returning(['provider', 'nonce', 'code_verifier', 'binding_hash', 'expires_at'])
    .executeTakeFirst();
}

export function findIdentity(db: Db, provider: string, subject: string) {
  return db
    .selectFrom('auth_identities')
    .select(['id', 'user_id'])
    .where((eb) => eb.and({ provider, subject }))
    .executeTakeFirst();
}

export async function insertIdentity(
  db: Db,
  identity: { provider: string; subject: string; userId: string; email: string | null; emailVerified: boolean },
): Promise<void> {
  await db
    .insertInto('auth_identities')
    .values({
      provider: identity.provider,
      subject: identity.subject,
      user_id: identity.userId,
      email: identity.email,
      email_verified: identity.emailVerified,
    })
    .execute();
}

export async function touchIdentity(db: Db, id: string, seen: { email: string | null; emailVerified: boolean }) {
  await db
    .updateTable('auth_identities')
    .set({ email: seen.email, email_verified: seen.emailVerified, last_login_at: new Date() })
    .where('id', '=', id)
    .execute();
}

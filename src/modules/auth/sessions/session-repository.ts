import { type ExpressionBuilder, type Selectable, sql } from 'kysely';
import type { Db } from '../../../db/database.ts';
import type { Database } from '../../../db/schema.ts';
import type { AuthSessionsTable } from '../tables.ts';

/** SQL for sessions (bearer and cookie): starting, finding, touching, listing and revoking them. */

export type SessionRow = Selectable<AuthSessionsTable>;

export function insertSession(
  db: Db,
  session: {
    userId: string;
    kind: 'token' | 'cookie';
    cookieHash?: string;
    ip: string;
    userAgent: string | null;
    expiresAt: Date;
  },
): Promise<SessionRow> {
  return db
    .insertInto('auth_sessions')
    .values({
      user_id: session.userId,
      kind: session.kind,
      cookie_hash: session.cookieHash ?? null,
      ip: session.ip,
      user_agent: session.userAgent,
      expires_at: session.expiresAt,
    })
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** What the guard needs to accept a request: a live session and the state of its user. */
export function findActiveSession(db: Db, sessionId: string) {
  return db
    .selectFrom('auth_sessions as s')
    .innerJoin('users as u', 'u.id', 's.user_id')
    .select(['s.id', 's.user_id', 's.last_used_at', 'u.role'])
    .where('s.id', '=', sessionId)
    .where('s.revoked_at', 'is', null)
    .where('s.expires_at', '>', new Date())
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
}

// Writing last_used_at on every request would turn reads into writes; once a minute is plenty
// (a cookie session's idle timeout is then exact to within this much).
const TOUCH_EVERY_MS = 60_000;

/** Records that a session is in use, at most once a minute per session. */
export async function touchSession(db: Db, session: { id: string; last_used_at: Date }): Promise<void> {
  if (Date.now() - session.last_used_at.getTime() <= TOUCH_EVERY_MS) return;
  await db.updateTable('auth_sessions').set({ last_used_at: new Date() }).where('id', '=', session.id).execute();
}

export async function revokeSession(db: Db, sessionId: string, reason: string): Promise<void> {
  await db
    .updateTable('auth_sessions')
    .set({ revoked_at: new Date(), revoked_reason: reason })
    .where('id', '=', sessionId)
    .where('revoked_at', 'is', null)
    .execute();
}

/**
 * Ends every live session of a user (password reset, disabled account, log-out everywhere), but
 * `except` (the session of a request that changed the password keeps working).
 */
export async function revokeUserSessions(db: Db, userId: string, reason: string, except?: string): Promise<string[]> {
  let query = db
    .updateTable('auth_sessions')
    .set({ revoked_at: new Date(), revoked_reason: reason })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null);
  if (except !== undefined) query = query.where('id', '<>', except);
  const rows = await query.returning('id').execute();
  return rows.map((row) => row.id);
}

/**
 * A session is live when it is not revoked, not past its absolute expiry, and (cookie sessions
 * only) was used within the idle timeout. `idleSince` is now minus that timeout.
 */
function live(eb: ExpressionBuilder<Database, 'auth_sessions'>, idleSince: Date) {
  return eb.and([
    eb('auth_sessions.revoked_at', 'is', null),
    eb('auth_sessions.expires_at', '>', new Date()),
    eb.or([eb('auth_sessions.kind', '=', 'token'), eb('auth_sessions.last_used_at', '>', idleSince)]),
  ]);
}

/** The guard's lookup for a session cookie (by the digest of its opaque id; unique index). */
export function findLiveCookieSession(db: Db, cookieHash: string, idleSince: Date) {
  return db
    .selectFrom('auth_sessions')
    .innerJoin('users as u', 'u.id', 'auth_sessions.user_id')
    .select(['auth_sessions.id', 'auth_sessions.user_id', 'auth_sessions.last_used_at', 'u.role'])
    .where('auth_sessions.cookie_hash', '=', cookieHash)
    .where('auth_sessions.kind', '=', 'cookie')
    .where((eb) => live(eb, idleSince))
    .where('u.disabled_at', 'is', null)
    .executeTakeFirst();
}

/**
 * One user's live sessions, newest first, keyset-paginated on (created_at, id). The cursor is the
 * last row's id and the comparison reads that row's exact timestamp, so no precision is lost
 * between PostgreSQL's microseconds and JavaScript's milliseconds.
 */
export function listLiveSessions(
  db: Db,
  userId: string,
  options: { idleSince: Date; afterId: string | undefined; limit: number },
) {
  let query = db
    .selectFrom('auth_sessions')
    .select(['id', 'kind', 'user_agent', 'ip', 'created_at', 'last_used_at', 'expires_at'])
    .where('user_id', '=', userId)
    .where((eb) => live(eb, options.idleSince));
  if (options.afterId) {
    query = query.where(
      sql<boolean>`(created_at, id) < (select c.created_at, c.id from auth_sessions c where c.id = ${options.afterId} and c.user_id = ${userId})`,
    );
  }
  return query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit + 1)
    .execute();
}

/** Revokes one of the user's own live sessions; false when there is none by that id (or not theirs). */
export async function revokeOwnSession(
  db: Db,
  userId: string,
  sessionId: string,
  reason: string,
  idleSince: Date,
): Promise<{ kind: 'token' | 'cookie' } | undefined> {
  return db
    .updateTable('auth_sessions')
    .set({ revoked_at: new Date(), revoked_reason: reason })
    .where('id', '=', sessionId)
    .where('user_id', '=', userId)
    .where((eb) => live(eb, idleSince))
    .returning('kind')
    .executeTakeFirst();
}

/** Ids of a user's unrevoked sessions, to drop them from this instance's session cache. */
export async function unrevokedSessionIds(db: Db, userId: string): Promise<string[]> {
  const rows = await db
    .selectFrom('auth_sessions')
    .select('id')
    .where((eb) => eb.and({ user_id: userId, revoked_at: null }))
    .execute();
  return rows.map((row) => row.id);
}

/** Revokes the cookie session with this digest, if it is still unrevoked; returns its id and user. */
export async function revokeCookieSession(
  db: Db,
  cookieHash: string,
  reason: string,
): Promise<{ id: string; user_id: string } | undefined> {
  const row = await db
    .updateTable('auth_sessions')
    .set({ revoked_at: new Date(), revoked_reason: reason })
    .where('cookie_hash', '=', cookieHash)
    .where('revoked_at', 'is', null)
    .returning(['id', 'user_id'])
    .executeTakeFirst();
  return row;
}

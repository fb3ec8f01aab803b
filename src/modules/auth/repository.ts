import { type Selectable, sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import type { AuthSessionsTable, UsersTable } from './tables.ts';

export type UserRow = Selectable<UsersTable>;
export type SessionRow = Selectable<AuthSessionsTable>;

/** Which unique rule a write broke, so the service can name the field. */
export type TakenField = 'email' | 'username';

function takenField(error: unknown): TakenField | null {
  if (isUniqueViolation(error, 'users_email_lower_key')) return 'email';
  if (isUniqueViolation(error, 'users_username_lower_key')) return 'username';
  return null;
}

export async function insertUser(
  db: Db,
  user: { email: string; username: string; passwordHash: string | null },
): Promise<UserRow | TakenField> {
  try {
    return await db
      .insertInto('users')
      .values({ email: user.email, username: user.username, password_hash: user.passwordHash })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    const field = takenField(error);
    if (field) return field;
    throw error;
  }
}

export function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Finds a user by email or username, case-insensitively (both are unique that way). */
export function findUserByLogin(db: Db, login: string): Promise<UserRow | undefined> {
  const field = login.includes('@') ? 'email' : 'username';
  return db
    .selectFrom('users')
    .selectAll()
    .where(sql`lower(${sql.ref(field)})`, '=', login.toLowerCase())
    .executeTakeFirst();
}

export async function updateUser(
  db: Db,
  id: string,
  changes: Partial<{
    email: string;
    username: string;
    password_hash: string;
    bio: string | null;
    image: string | null;
    email_verified_at: Date | null;
  }>,
): Promise<UserRow | TakenField | undefined> {
  try {
    return await db
      .updateTable('users')
      .set({ ...changes, updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  } catch (error) {
    const field = takenField(error);
    if (field) return field;
    throw error;
  }
}

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

/** Ends every live session of a user (password reset, disabled account, log-out everywhere). */
export async function revokeUserSessions(db: Db, userId: string, reason: string): Promise<string[]> {
  const rows = await db
    .updateTable('auth_sessions')
    .set({ revoked_at: new Date(), revoked_reason: reason })
    .where('user_id', '=', userId)
    .where('revoked_at', 'is', null)
    .returning('id')
    .execute();
  return rows.map((row) => row.id);
}

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

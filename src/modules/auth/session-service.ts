import type { FastifyInstance } from 'fastify';
import { cursorScope, decodeCursor, toPage } from '../../lib/cursor.ts';
import { recordAuditEvent } from './audit.ts';
import { sessionNotFound } from './errors.ts';
import type { AuthUser } from './guard.ts';
import { digestToken, newOpaqueToken } from './opaque-tokens.ts';
import type { UserRow } from './repository.ts';
import * as repo from './repository.ts';
import type { ClientInfo } from './service.ts';
import { endAllSessions, endSession, verifyCredentials } from './service.ts';
import * as sessionRepo from './session-repository.ts';

/** Rules for browser (cookie) sessions and for the user's view of their own sessions. */

const SESSIONS_SCOPE = cursorScope({ list: 'auth.sessions' });

function idleSince(app: FastifyInstance): Date {
  return new Date(Date.now() - app.config.auth.cookie.idleTimeoutSeconds * 1000);
}

/**
 * Logs in with a password and starts a cookie session: the opaque id goes to the browser (once),
 * its digest to the database. The same throttling and audit as a bearer log-in apply. A session
 * cookie the browser still held (`previousCookie`) is replaced, so its session is ended too.
 */
export async function loginWithCookie(
  app: FastifyInstance,
  input: { login: string; password: string },
  client: ClientInfo,
  previousCookie?: string,
): Promise<{ user: UserRow; cookie: string; expiresAt: Date }> {
  const user = await verifyCredentials(app, input.login, input.password, client);
  if (previousCookie !== undefined) {
    const replaced = await sessionRepo.revokeCookieSession(app.db, digestToken(previousCookie), 'replaced');
    if (replaced) app.auth.sessions.forget(replaced);
  }
  const cookie = newOpaqueToken();
  const session = await repo.insertSession(app.db, {
    userId: user.id,
    kind: 'cookie',
    cookieHash: digestToken(cookie),
    ip: client.ip,
    userAgent: client.userAgent,
    expiresAt: new Date(Date.now() + app.config.auth.cookie.absoluteTimeoutSeconds * 1000),
  });
  return { user, cookie, expiresAt: session.expires_at };
}

/** Ends the caller's current session (bearer or cookie). */
export async function logOut(app: FastifyInstance, user: AuthUser, client: ClientInfo): Promise<void> {
  await endSession(app, user.sessionId, 'logout');
  await recordAuditEvent(app.db, { type: 'logout', userId: user.id, client, details: { sessionId: user.sessionId } });
}

/** Ends every session of the caller, this one included. */
export async function logOutEverywhere(app: FastifyInstance, user: AuthUser, client: ClientInfo): Promise<void> {
  await endAllSessions(app, user.id, 'logout_all');
  await recordAuditEvent(app.db, { type: 'logout', userId: user.id, client, details: { scope: 'all' } });
}

export async function listSessions(app: FastifyInstance, user: AuthUser, page: { cursor?: string; limit: number }) {
  const rows = await sessionRepo.listLiveSessions(app.db, user.id, {
    idleSince: idleSince(app),
    afterId: page.cursor === undefined ? undefined : String(decodeCursor(page.cursor, SESSIONS_SCOPE, ['uuid'])[0]),
    limit: page.limit,
  });
  const { rows: items, nextCursor } = toPage(rows, page.limit, SESSIONS_SCOPE, (row) => [row.id]);
  return { items: items.map((row) => ({ ...row, current: row.id === user.sessionId })), nextCursor };
}

/**
 * Ends one of the caller's own sessions. Someone else's session, or one already ended, is a 404:
 * never confirm that a session id exists. Returns whether it was the caller's current session.
 */
export async function revokeOwnSession(
  app: FastifyInstance,
  user: AuthUser,
  sessionId: string,
  client: ClientInfo,
): Promise<{ current: boolean }> {
  const revoked = await sessionRepo.revokeOwnSession(app.db, user.id, sessionId, 'revoked_by_user', idleSince(app));
  if (!revoked) throw sessionNotFound();
  app.auth.sessions.forget(sessionId);
  await recordAuditEvent(app.db, { type: 'session_revoked', userId: user.id, client, details: { sessionId } });
  return { current: sessionId === user.sessionId };
}

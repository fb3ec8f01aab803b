import type { FastifyInstance } from 'fastify';
import { cursorScope, decodeCursor, toPage } from '../../../lib/cursor.ts';
import type { UserRow } from '../accounts/account-repository.ts';
import { verifyCredentials } from '../accounts/credentials.ts';
import { recordAuditEvent } from '../audit.ts';
import type { ClientInfo } from '../client-info.ts';
import { invalidRefreshToken, refreshTokenReused, sessionNotFound } from '../errors.ts';
import type { AuthUser } from '../guard.ts';
import { signAccessToken } from '../tokens/access-tokens.ts';
import { digestToken, newOpaqueToken } from '../tokens/opaque-tokens.ts';
import * as refreshTokens from '../tokens/refresh-token-repository.ts';
import * as sessionRepo from './session-repository.ts';
import { sessionsEnded } from './sessions-ended.ts';

/**
 * Rules for sessions: bearer sessions (access + rotating refresh tokens), browser (cookie)
 * sessions, log-out, and the user's view of their own sessions.
 */

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  sessionId: string;
  userId: string;
}

/**
 * Starts a session for a user and issues its first tokens. `accessTtlSeconds` lets a caller with a
 * public contract of its own (the RealWorld blog) issue longer-lived access tokens; they are
 * still bound to the session, so log-out and revocation still end them.
 */
export async function issueSession(
  app: FastifyInstance,
  user: Pick<UserRow, 'id'>,
  client: ClientInfo,
  options: { accessTtlSeconds?: number } = {},
): Promise<IssuedTokens> {
  const { auth } = app.config;
  const session = await sessionRepo.insertSession(app.db, {
    userId: user.id,
    kind: 'token',
    ip: client.ip,
    userAgent: client.userAgent,
    expiresAt: new Date(Date.now() + auth.refreshTokenTtlSeconds * 1000),
  });
  const refreshToken = newOpaqueToken();
  await refreshTokens.insertRefreshToken(app.db, session.id, digestToken(refreshToken), session.expires_at);
  return { ...(await accessTokenFor(app, user.id, session.id, options.accessTtlSeconds)), refreshToken };
}

type IssuedAccessToken = Omit<IssuedTokens, 'refreshToken'>;

async function accessTokenFor(
  app: FastifyInstance,
  userId: string,
  sessionId: string,
  ttl?: number,
): Promise<IssuedAccessToken> {
  const ttlSeconds = ttl ?? app.config.auth.accessTokenTtlSeconds;
  const accessToken = await signAccessToken(
    app.auth.keys,
    { userId, sessionId },
    { issuer: app.config.auth.issuer, ttlSeconds },
  );
  return { accessToken, expiresIn: ttlSeconds, sessionId, userId };
}

/**
 * A fresh access token for a session the caller already has (e.g. a browser's cookie session), with
 * auth's normal lifetime. No new session is started.
 */
export async function accessTokenForSession(
  app: FastifyInstance,
  user: { id: string; sessionId: string },
): Promise<IssuedAccessToken> {
  return accessTokenFor(app, user.id, user.sessionId);
}

export async function loginWithPassword(
  app: FastifyInstance,
  input: { login: string; password: string },
  client: ClientInfo,
  options: { accessTtlSeconds?: number } = {},
): Promise<{ user: UserRow; tokens: IssuedTokens }> {
  const user = await verifyCredentials(app, input.login, input.password, client);
  return { user, tokens: await issueSession(app, user, client, options) };
}

/**
 * Rotates a refresh token: it works once. Presenting one that was already used means it was
 * copied, so the whole family (the session) is revoked and the legitimate holder must log in again.
 */
export async function refreshSession(
  app: FastifyInstance,
  refreshToken: string,
  client?: ClientInfo,
): Promise<IssuedTokens> {
  const outcome = await app.db.transaction().execute(async (trx) => {
    const token = await refreshTokens.lockRefreshToken(trx, digestToken(refreshToken));
    const now = Date.now();
    if (!token) return { kind: 'invalid' as const };
    if (token.used_at) {
      await sessionRepo.revokeSession(trx, token.session_id, 'refresh_token_reuse');
      return { kind: 'reused' as const, sessionId: token.session_id, userId: token.user_id };
    }
    if (token.revoked_at || token.disabled_at || token.expires_at.getTime() <= now) return { kind: 'invalid' as const };
    await refreshTokens.markRefreshTokenUsed(trx, token.id);
    const next = newOpaqueToken();
    await refreshTokens.insertRefreshToken(trx, token.session_id, digestToken(next), token.session_expires_at);
    return { kind: 'rotated' as const, userId: token.user_id, sessionId: token.session_id, refreshToken: next };
  });
  if (outcome.kind === 'reused') {
    sessionsEnded(app, outcome.userId, [outcome.sessionId]);
    await recordAuditEvent(app.db, {
      type: 'refresh_token_reused',
      userId: outcome.userId,
      client,
      details: { sessionId: outcome.sessionId },
    });
    throw refreshTokenReused();
  }
  if (outcome.kind === 'invalid') throw invalidRefreshToken();
  return {
    ...(await accessTokenFor(app, outcome.userId, outcome.sessionId)),
    refreshToken: outcome.refreshToken,
  };
}

export async function endSession(
  app: FastifyInstance,
  user: { id: string; sessionId: string },
  reason: string,
): Promise<void> {
  await sessionRepo.revokeSession(app.db, user.sessionId, reason);
  sessionsEnded(app, user.id, [user.sessionId]);
}

/** Ends every session of a user, on every instance within the session cache's lifetime. */
export async function endAllSessions(app: FastifyInstance, userId: string, reason: string): Promise<void> {
  const ended = await sessionRepo.revokeUserSessions(app.db, userId, reason);
  sessionsEnded(app, userId, ended);
}

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
    // The browser's previous session may be another account's (switching accounts).
    if (replaced) sessionsEnded(app, replaced.user_id, [replaced.id]);
  }
  const cookie = newOpaqueToken();
  const session = await sessionRepo.insertSession(app.db, {
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
  await endSession(app, user, 'logout');
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
  sessionsEnded(app, user.id, [sessionId]);
  await recordAuditEvent(app.db, { type: 'session_revoked', userId: user.id, client, details: { sessionId } });
  return { current: sessionId === user.sessionId };
}

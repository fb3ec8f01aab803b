import type { FastifyInstance } from 'fastify';
import { type AppError, unauthorized, unprocessable } from '../../core/errors.ts';
import { signAccessToken } from './access-tokens.ts';
import { recordAuditEvent } from './audit.ts';
import { queueVerificationEmail } from './email-verification.ts';
import {
  accountDisabled,
  emailTaken,
  invalidCredentials,
  loginThrottled,
  userNotFound,
  usernameTaken,
} from './errors.ts';
import { loginThrottleKeys } from './login-throttle.ts';
import { digestToken, newOpaqueToken } from './opaque-tokens.ts';
import { hashPassword, isCommonPassword, verifyPassword } from './passwords.ts';
import type { UserRow } from './repository.ts';
import * as repo from './repository.ts';

/** Where a request came from, recorded on sessions (and the audit log). */
export interface ClientInfo {
  ip: string;
  userAgent: string | null;
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken: string;
  expiresIn: number;
  sessionId: string;
  userId: string;
}

function takenError(field: repo.TakenField): AppError {
  return field === 'email' ? emailTaken() : usernameTaken();
}

export function checkNewPassword(app: FastifyInstance, password: string, field = 'body.password'): void {
  if (app.config.auth.passwordScreen && isCommonPassword(password)) {
    throw unprocessable([{ field, message: 'is too common; choose a less guessable password' }]);
  }
}

export async function registerAccount(
  app: FastifyInstance,
  input: { email: string; username: string; password: string },
): Promise<UserRow> {
  checkNewPassword(app, input.password);
  const result = await repo.insertUser(app.db, {
    email: input.email.trim(),
    username: input.username.trim(),
    passwordHash: await hashPassword(input.password),
  });
  if (typeof result === 'string') throw takenError(result);
  queueVerificationEmail(app, result);
  return result;
}

export async function getAccount(app: FastifyInstance, userId: string): Promise<UserRow> {
  const user = await repo.findUserById(app.db, userId);
  if (!user) throw userNotFound();
  return user;
}

/**
 * Checks a log-in. Every failure (no such account, wrong password, password-less account) gives
 * the same error after the same work, so the answer never tells whether an account exists.
 * Attempts are throttled per login and per client IP (`client`) before any password is checked;
 * the limits count the login as typed, so they behave the same for accounts that do not exist.
 */
export async function verifyCredentials(
  app: FastifyInstance,
  login: string,
  password: string,
  client?: ClientInfo,
): Promise<UserRow> {
  const keys = loginThrottleKeys(app.config.auth.loginThrottle, login, client?.ip);
  const waitMs = await app.auth.throttle.attempt(keys.ip ? [keys.account, keys.ip] : [keys.account]);
  if (waitMs > 0) throw loginThrottled(waitMs);

  const user = await repo.findUserByLogin(app.db, login.trim());
  const ok = await verifyPassword(user?.password_hash ?? null, password);
  if (!user || !ok) {
    const reason = user ? 'wrong_password' : 'unknown_login';
    await recordAuditEvent(app.db, { type: 'login_failed', userId: user?.id ?? null, client, details: { reason } });
    throw invalidCredentials();
  }
  await app.auth.throttle.reset([keys.account.key]);
  if (keys.ip) await app.auth.throttle.refund([keys.ip.key]);
  if (user.disabled_at) {
    await recordAuditEvent(app.db, { type: 'login_failed', userId: user.id, client, details: { reason: 'disabled' } });
    throw accountDisabled();
  }
  await recordAuditEvent(app.db, { type: 'login_succeeded', userId: user.id, client, details: { method: 'password' } });
  return user;
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
  const session = await repo.insertSession(app.db, {
    userId: user.id,
    kind: 'token',
    ip: client.ip,
    userAgent: client.userAgent,
    expiresAt: new Date(Date.now() + auth.refreshTokenTtlSeconds * 1000),
  });
  const refreshToken = newOpaqueToken();
  await repo.insertRefreshToken(app.db, session.id, digestToken(refreshToken), session.expires_at);
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
    const token = await repo.lockRefreshToken(trx, digestToken(refreshToken));
    const now = Date.now();
    if (!token) return { kind: 'invalid' as const };
    if (token.used_at) {
      await repo.revokeSession(trx, token.session_id, 'refresh_token_reuse');
      return { kind: 'reused' as const, sessionId: token.session_id, userId: token.user_id };
    }
    if (token.revoked_at || token.disabled_at || token.expires_at.getTime() <= now) return { kind: 'invalid' as const };
    await repo.markRefreshTokenUsed(trx, token.id);
    const next = newOpaqueToken();
    await repo.insertRefreshToken(trx, token.session_id, digestToken(next), token.session_expires_at);
    return { kind: 'rotated' as const, userId: token.user_id, sessionId: token.session_id, refreshToken: next };
  });
  if (outcome.kind === 'reused') {
    app.auth.sessions.forget(outcome.sessionId);
    await recordAuditEvent(app.db, {
      type: 'refresh_token_reused',
      userId: outcome.userId,
      client,
      details: { sessionId: outcome.sessionId },
    });
    throw unauthorized('Refresh token was already used; the session has been ended', 'REFRESH_TOKEN_REUSED');
  }
  if (outcome.kind === 'invalid') throw unauthorized('Invalid or expired refresh token', 'INVALID_REFRESH_TOKEN');
  return {
    ...(await accessTokenFor(app, outcome.userId, outcome.sessionId)),
    refreshToken: outcome.refreshToken,
  };
}

export async function endSession(app: FastifyInstance, sessionId: string, reason: string): Promise<void> {
  await repo.revokeSession(app.db, sessionId, reason);
  app.auth.sessions.forget(sessionId);
}

/** Ends every session of a user, on every instance within the session cache's lifetime. */
export async function endAllSessions(app: FastifyInstance, userId: string, reason: string): Promise<void> {
  const ended = await repo.revokeUserSessions(app.db, userId, reason);
  for (const sessionId of ended) app.auth.sessions.forget(sessionId);
}

export interface AccountChanges {
  email?: string;
  username?: string;
  password?: string;
  bio?: string | null;
  image?: string | null;
  currentPassword?: string;
}

/**
 * Updates a user's account. Changing the email or password needs the current password, unless the
 * caller's contract says otherwise (`requireCurrentPassword: false`, for the RealWorld spec).
 */
export async function updateAccount(
  app: FastifyInstance,
  userId: string,
  changes: AccountChanges,
  options: { requireCurrentPassword?: boolean; client?: ClientInfo } = {},
): Promise<UserRow> {
  const user = await getAccount(app, userId);
  const sensitive =
    changes.password !== undefined || (changes.email !== undefined && changes.email.trim() !== user.email);
  if (sensitive && (options.requireCurrentPassword ?? true)) {
    // Guessing the current password (with a stolen session) is throttled like log-in, on the same
    // account key, so it cannot be used to get around the log-in limits.
    const keys = loginThrottleKeys(app.config.auth.loginThrottle, user.email, options.client?.ip);
    const waitMs = await app.auth.throttle.attempt(keys.ip ? [keys.account, keys.ip] : [keys.account]);
    if (waitMs > 0) throw loginThrottled(waitMs);
    const ok =
      changes.currentPassword !== undefined && (await verifyPassword(user.password_hash, changes.currentPassword));
    if (!ok) throw unprocessable([{ field: 'body.currentPassword', message: 'is incorrect' }]);
    await app.auth.throttle.reset([keys.account.key]);
    if (keys.ip) await app.auth.throttle.refund([keys.ip.key]);
  }
  if (changes.password !== undefined) checkNewPassword(app, changes.password);
  const emailChanged = changes.email !== undefined && changes.email.trim().toLowerCase() !== user.email.toLowerCase();
  const result = await repo.updateUser(app.db, userId, {
    ...(changes.email !== undefined ? { email: changes.email.trim() } : {}),
    ...(emailChanged ? { email_verified_at: null } : {}),
    ...(changes.username !== undefined ? { username: changes.username.trim() } : {}),
    ...(changes.password !== undefined ? { password_hash: await hashPassword(changes.password) } : {}),
    ...(changes.bio !== undefined ? { bio: changes.bio } : {}),
    ...(changes.image !== undefined ? { image: changes.image } : {}),
  });
  if (result === undefined) throw userNotFound();
  if (typeof result === 'string') throw takenError(result);
  if (changes.password !== undefined) {
    await recordAuditEvent(app.db, { type: 'password_changed', userId, client: options.client });
  }
  if (emailChanged) {
    await recordAuditEvent(app.db, {
      type: 'email_changed',
      userId,
      client: options.client,
      details: { from: user.email, to: result.email },
    });
    queueVerificationEmail(app, result);
  }
  return result;
}

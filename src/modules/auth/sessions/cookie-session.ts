import type { FastifyReply, FastifyRequest } from 'fastify';
import { crossSiteRefused } from '../errors.ts';
import { digestToken } from '../tokens/opaque-tokens.ts';
import * as sessionRepo from './session-repository.ts';

/**
 * Browser sessions: an HttpOnly cookie holding an opaque id (stored only as its SHA-256 digest).
 * The guard accepts it when no Authorization header is present. Because a browser sends it on
 * its own, every unsafe request it authenticates must come from one of our origins (CSRF).
 */

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

// Requests the guard authenticated by cookie (log-out clears the cookie for them).
const byCookie = new WeakSet<FastifyRequest>();

export function authenticatedByCookie(request: FastifyRequest): boolean {
  return byCookie.has(request);
}

export function sessionCookie(request: FastifyRequest): string | undefined {
  return request.cookies?.[request.server.config.auth.cookie.name] || undefined;
}

export function setSessionCookie(reply: FastifyReply, token: string): void {
  const { cookie } = reply.server.config.auth;
  reply.setCookie(cookie.name, token, {
    httpOnly: true,
    secure: cookie.secure,
    sameSite: 'lax',
    path: '/',
    maxAge: cookie.absoluteTimeoutSeconds,
  });
}

export function clearSessionCookie(reply: FastifyReply): void {
  const { cookie } = reply.server.config.auth;
  reply.clearCookie(cookie.name, { httpOnly: true, secure: cookie.secure, sameSite: 'lax', path: '/' });
}

/** The origin this request was addressed to (scheme, host and port, as the browser sees us). */
function ownOrigin(request: FastifyRequest): string | null {
  try {
    return new URL(`${request.protocol}://${request.host}`).origin;
  } catch {
    return null;
  }
}

function requestOrigin(request: FastifyRequest): string | null {
  const origin = request.headers.origin;
  if (origin !== undefined) return origin;
  const referer = request.headers.referer;
  if (referer === undefined || !URL.canParse(referer)) return null;
  return new URL(referer).origin;
}

/**
 * True when the request's Origin (or, failing that, Referer) is ours or on CORS_ORIGINS. An opaque
 * `Origin: null` (sandboxed frames, some redirects) is never trusted.
 */
export function fromTrustedOrigin(request: FastifyRequest): boolean {
  const origin = requestOrigin(request);
  if (origin === null || origin === 'null') return false;
  return origin === ownOrigin(request) || request.server.config.corsOrigins.includes(origin);
}

/** CSRF rule for cookie-authenticated requests: unsafe methods must come from a trusted origin. */
export function checkCookieRequestOrigin(request: FastifyRequest): void {
  if (!SAFE_METHODS.has(request.method) && !fromTrustedOrigin(request)) throw crossSiteRefused();
}

/**
 * Resolves a session cookie to its user, or null when the session is unknown, revoked, idle too
 * long or past its absolute lifetime. Positive answers are cached like bearer sessions (keyed by
 * session id, so a revocation's `forget` reaches them); the digest → id mapping never changes.
 */
export async function resolveCookieUser(
  request: FastifyRequest,
  token: string,
): Promise<{ id: string; role: 'user' | 'admin'; sessionId: string } | null> {
  const { auth, config, db } = request.server;
  const digest = digestToken(token);
  const knownId = auth.cookieSessionIds.get(digest);
  const cached = knownId ? auth.sessions.get(knownId) : undefined;
  if (knownId && cached) {
    byCookie.add(request);
    return { id: cached.userId, role: cached.role, sessionId: knownId };
  }
  const idleSince = new Date(Date.now() - config.auth.cookie.idleTimeoutSeconds * 1000);
  const session = await sessionRepo.findLiveCookieSession(db, digest, idleSince);
  if (!session) return null;
  await sessionRepo.touchSession(db, session);
  auth.cookieSessionIds.set(digest, session.id);
  auth.sessions.set(session.id, { userId: session.user_id, role: session.role });
  byCookie.add(request);
  return { id: session.user_id, role: session.role, sessionId: session.id };
}

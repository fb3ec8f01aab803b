import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { forbidden, unauthorized } from '../../core/errors.ts';
import {
  checkCookieRequestOrigin,
  clearSessionCookie,
  resolveCookieUser,
  sessionCookie,
} from './sessions/cookie-session.ts';
import * as repo from './sessions/session-repository.ts';
import type { Role } from './tables.ts';

export type AuthUser = NonNullable<FastifyRequest['user']>;

// Bearer is ours; `Token` is what the RealWorld spec sends. Both carry the same access JWT.
const AUTHORIZATION = /^(?:Bearer|Token) +([A-Za-z0-9._~+/-]+=*)$/i;

const INVALID = () => unauthorized('Missing, invalid or expired credentials');

/** The access token of the Authorization header (either scheme), if it has a well-formed one. */
export function presentedAccessToken(request: FastifyRequest): string | undefined {
  return AUTHORIZATION.exec(request.headers.authorization ?? '')?.[1];
}

/**
 * Resolves the caller from the Authorization header or, when there is none, the session cookie;
 * null when neither was presented. A cookie that no longer names a live session is cleared and
 * counts as invalid only where authentication is required: a browser cannot drop an HttpOnly
 * cookie itself, so an expired one must not turn public pages into 401s.
 */
async function resolveUser(request: FastifyRequest, reply: FastifyReply, required: boolean): Promise<AuthUser | null> {
  const header = request.headers.authorization;
  if (header === undefined) {
    const cookie = sessionCookie(request);
    if (cookie === undefined) return null;
    checkCookieRequestOrigin(request);
    const user = await resolveCookieUser(request, cookie);
    if (user) return user;
    clearSessionCookie(reply);
    if (required) throw INVALID();
    return null;
  }
  const token = presentedAccessToken(request);
  if (!token) throw INVALID();
  const user = await userFromAccessToken(request.server, token);
  if (!user) throw INVALID();
  return user;
}

/** The user and live session an access token names, or null when it is invalid, expired or revoked. */
export async function userFromAccessToken(server: FastifyInstance, token: string): Promise<AuthUser | null> {
  const { auth, config, db } = server;
  const claims = await auth.verifiedTokens.verify(auth.keys, token, config.auth.issuer);
  if (!claims) return null;

  let live = auth.sessions.get(claims.sessionId);
  if (!live) {
    const session = await repo.findActiveSession(db, claims.sessionId);
    if (!session || session.user_id !== claims.userId) return null;
    await repo.touchSession(db, session);
    live = { userId: session.user_id, role: session.role };
    auth.sessions.set(claims.sessionId, live);
  }
  return { id: live.userId, role: live.role, sessionId: claims.sessionId };
}

/**
 * `onRequest` hook: the request must carry valid credentials (401 otherwise). It runs before the
 * body is parsed and validated, so an anonymous request is 401 whatever else is wrong with it.
 */
export async function authenticate(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  request.user = await resolveUser(request, reply, true);
  if (!request.user) throw unauthorized();
}

/** `onRequest` hook: anonymous is fine, but credentials that are presented must be valid. */
export async function authenticateOptional(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  request.user = await resolveUser(request, reply, false);
}

/** `onRequest` hook (after `authenticate`): the user must have this role (403 otherwise). */
export function authorize(role: Role) {
  return async (request: FastifyRequest, _reply: FastifyReply): Promise<void> => {
    const user = currentUser(request);
    if (user.role !== role) throw forbidden(`Requires the ${role} role`);
  };
}

/** The authenticated user of a request behind `authenticate`; throws 401 if there is none. */
export function currentUser(request: FastifyRequest): AuthUser {
  if (!request.user) throw unauthorized();
  return request.user;
}

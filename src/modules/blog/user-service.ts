import type { FastifyInstance, FastifyRequest } from 'fastify';
import { unprocessable } from '../../core/errors.ts';
import * as auth from '../auth/index.ts';
import { toUser } from './mappers.ts';
import type { UpdateUser } from './schemas.ts';

/**
 * RealWorld's users are auth's users: registration, log-in and profile changes go through the auth
 * module's service, so an account made here logs in at /api/auth/login and the other way round.
 *
 * The RealWorld `token` is an auth access token of a session of its own, issued with the blog's
 * longer lifetime (BLOG_TOKEN_TTL_SECONDS, a day by default) because RealWorld clients cannot
 * refresh. Being bound to a session, it stops working on log-out or revocation like any other.
 */

function issueToken(app: FastifyInstance, request: FastifyRequest, userId: string): Promise<auth.IssuedTokens> {
  return auth.issueSession(app, { id: userId }, auth.clientInfo(request), {
    accessTtlSeconds: app.config.blog.tokenTtlSeconds,
  });
}

/**
 * The token GET/PUT /user hand back: the one the request authenticated with, or, for a browser
 * on a cookie session, an access token of that same session (never a new session per call).
 */
async function presentedToken(app: FastifyInstance, request: FastifyRequest): Promise<string> {
  return (
    auth.presentedAccessToken(request) ?? (await auth.accessTokenForSession(app, auth.currentUser(request))).accessToken
  );
}

export async function register(
  app: FastifyInstance,
  request: FastifyRequest,
  input: { username: string; email: string; password: string },
) {
  const user = await auth.registerAccount(app, input);
  return toUser(user, (await issueToken(app, request, user.id)).accessToken);
}

export async function login(app: FastifyInstance, request: FastifyRequest, input: { email: string; password: string }) {
  const { user, tokens } = await auth.loginWithPassword(
    app,
    { login: input.email, password: input.password },
    auth.clientInfo(request),
    { accessTtlSeconds: app.config.blog.tokenTtlSeconds },
  );
  return toUser(user, tokens.accessToken);
}

export async function current(app: FastifyInstance, request: FastifyRequest, userId: string) {
  const user = await auth.getAccount(app, userId);
  return toUser(user, await presentedToken(app, request));
}

/** RealWorld sends "" for a cleared bio or image; the spec's unset value is null. */
const emptyToNull = (value: string | null | undefined) => (value === '' ? null : value);

export async function update(app: FastifyInstance, request: FastifyRequest, userId: string, input: UpdateUser) {
  const changes: auth.AccountChanges = {};
  if (input.email !== undefined) changes.email = input.email;
  if (input.username !== undefined) changes.username = input.username;
  if (input.password !== undefined) changes.password = input.password;
  if (input.bio !== undefined) changes.bio = emptyToNull(input.bio) ?? null;
  if (input.image !== undefined) changes.image = emptyToNull(input.image) ?? null;
  if (Object.keys(changes).length === 0) throw unprocessable([{ field: 'user', message: "can't be blank" }]);
  // RealWorld changes email and password without the current password: that is its contract. What
  // keeps a leaked token from becoming a takeover is auth's: other sessions end on a password change,
  // and the old address is mailed a link that undoes an email change.
  const user = await auth.updateAccount(app, userId, changes, {
    requireCurrentPassword: false,
    client: auth.clientInfo(request),
    sessionId: auth.currentUser(request).sessionId,
  });
  return toUser(user, await presentedToken(app, request));
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NoContent, problemResponses } from '../../../core/schemas.ts';
import { getAccount } from '../accounts/account-service.ts';
import { clientInfo } from '../client-info.ts';
import { crossSiteRefused } from '../errors.ts';
import { authenticate, currentUser } from '../guard.ts';
import { toSession, toUser } from '../mappers.ts';
import {
  authenticatedByCookie,
  clearSessionCookie,
  fromTrustedOrigin,
  sessionCookie,
  setSessionCookie,
} from './cookie-session.ts';
import {
  CookieSession,
  LoginBody,
  RefreshBody,
  SessionListQuery,
  SessionPage,
  SessionParams,
  Tokens,
} from './session-schemas.ts';
import * as sessions from './session-service.ts';

const tags = ['auth'];
const bearer = [{ bearerAuth: [] }];
const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { cookieAuth: [] }];

/**
 * Log-in for APIs (bearer + refresh tokens) and browsers (cookie session), log-out, and the user's
 * own sessions, under `/api/auth`.
 */
export const sessionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/login',
    {
      schema: {
        tags,
        summary: 'Log in with email or username and password; returns bearer tokens',
        body: LoginBody,
        response: { 200: Tokens, ...problemResponses(401, 403, 422, 429) },
      },
    },
    async (request) => {
      const { user, tokens } = await sessions.loginWithPassword(app, request.body, clientInfo(request));
      return { ...tokens, tokenType: 'Bearer' as const, user: toUser(user) };
    },
  );

  app.post(
    '/refresh',
    {
      schema: {
        tags,
        summary: 'Exchange a refresh token (once) for new tokens',
        body: RefreshBody,
        response: { 200: Tokens, ...problemResponses(401, 422) },
      },
    },
    async (request) => {
      const tokens = await sessions.refreshSession(app, request.body.refreshToken, clientInfo(request));
      const user = await getAccount(app, tokens.userId);
      return { ...tokens, tokenType: 'Bearer' as const, user: toUser(user) };
    },
  );

  app.post(
    '/logout',
    {
      onRequest: authenticate,
      schema: {
        tags,
        summary: 'End the current session (its tokens stop working; a session cookie is cleared)',
        security: bearer,
        response: { 204: NoContent, ...problemResponses(401, 403) },
      },
    },
    async (request, reply) => {
      await sessions.logOut(app, currentUser(request), clientInfo(request));
      clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/session',
    {
      schema: {
        tags,
        summary: 'Log in for a browser: sets an HttpOnly session cookie instead of returning tokens',
        body: LoginBody,
        response: { 200: CookieSession, ...problemResponses(401, 403, 422, 429) },
      },
    },
    async (request, reply) => {
      // Log-in CSRF: a foreign page must not log the browser into an account of its choosing.
      if (request.headers.origin !== undefined && !fromTrustedOrigin(request)) throw crossSiteRefused();
      const { user, cookie, expiresAt } = await sessions.loginWithCookie(
        app,
        request.body,
        clientInfo(request),
        sessionCookie(request),
      );
      setSessionCookie(reply, cookie);
      reply.header('cache-control', 'no-store');
      return {
        user: toUser(user),
        expiresAt: expiresAt.toISOString(),
        idleTimeoutSeconds: app.config.auth.cookie.idleTimeoutSeconds,
      };
    },
  );

  app.get(
    '/sessions',
    {
      onRequest: authenticate,
      schema: {
        tags,
        summary: 'Your live sessions (bearer and cookie), newest first',
        security,
        querystring: SessionListQuery,
        response: { 200: SessionPage, ...problemResponses(401, 422) },
      },
    },
    async (request) => {
      const page = await sessions.listSessions(app, currentUser(request), request.query);
      return { items: page.items.map(toSession), nextCursor: page.nextCursor };
    },
  );

  app.delete(
    '/sessions/:id',
    {
      onRequest: authenticate,
      schema: {
        tags,
        summary: 'End one of your sessions (its tokens or cookie stop working)',
        security,
        params: SessionParams,
        response: { 204: NoContent, ...problemResponses(401, 403, 404) },
      },
    },
    async (request, reply) => {
      const { current } = await sessions.revokeOwnSession(
        app,
        currentUser(request),
        request.params.id,
        clientInfo(request),
      );
      if (current && authenticatedByCookie(request)) clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/logout-all',
    {
      onRequest: authenticate,
      schema: {
        tags,
        summary: 'End all your sessions, this one included',
        security,
        response: { 204: NoContent, ...problemResponses(401, 403) },
      },
    },
    async (request, reply) => {
      await sessions.logOutEverywhere(app, currentUser(request), clientInfo(request));
      clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );
};

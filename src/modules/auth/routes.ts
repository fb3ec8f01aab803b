import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import { NoContent, problemResponses } from '../../core/schemas.ts';
import { clearSessionCookie } from './cookie-session.ts';
import { authenticate, currentUser } from './guard.ts';
import { toUser } from './mappers.ts';
import { LoginBody, RefreshBody, RegisterBody, Tokens, UpdateMeBody, User } from './schemas.ts';
import * as service from './service.ts';
import { logOut } from './session-service.ts';

const tags = ['auth'];
const bearer = [{ bearerAuth: [] }];

export function clientInfo(request: FastifyRequest): service.ClientInfo {
  const agent = request.headers['user-agent'];
  return { ip: request.ip, userAgent: agent ? agent.slice(0, 512) : null };
}

/** Routes under `/api/auth`. */
export const authRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/register',
    {
      schema: {
        tags,
        summary: 'Create an account',
        body: RegisterBody,
        response: { 201: User, ...problemResponses(409, 422) },
      },
    },
    async (request, reply) => reply.code(201).send(toUser(await service.registerAccount(app, request.body))),
  );

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
      const { user, tokens } = await service.loginWithPassword(app, request.body, clientInfo(request));
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
      const tokens = await service.refreshSession(app, request.body.refreshToken, clientInfo(request));
      const user = await service.getAccount(app, tokens.userId);
      return { ...tokens, tokenType: 'Bearer' as const, user: toUser(user) };
    },
  );

  app.post(
    '/logout',
    {
      preHandler: authenticate,
      schema: {
        tags,
        summary: 'End the current session (its tokens stop working; a session cookie is cleared)',
        security: bearer,
        response: { 204: NoContent, ...problemResponses(401, 403) },
      },
    },
    async (request, reply) => {
      await logOut(app, currentUser(request), clientInfo(request));
      clearSessionCookie(reply);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/me',
    {
      preHandler: authenticate,
      schema: {
        tags,
        summary: 'The current user',
        security: bearer,
        response: { 200: User, ...problemResponses(401) },
      },
    },
    async (request) => toUser(await service.getAccount(app, currentUser(request).id)),
  );

  app.patch(
    '/me',
    {
      preHandler: authenticate,
      schema: {
        tags,
        summary: 'Update profile, email or password (email and password need `currentPassword`)',
        security: bearer,
        body: UpdateMeBody,
        response: { 200: User, ...problemResponses(401, 403, 409, 422, 429) },
      },
    },
    async (request) =>
      toUser(await service.updateAccount(app, currentUser(request).id, request.body, { client: clientInfo(request) })),
  );
};

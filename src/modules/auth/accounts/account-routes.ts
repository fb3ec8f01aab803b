import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problemResponses } from '../../../core/schemas.ts';
import { clientInfo } from '../client-info.ts';
import { authenticate, currentUser } from '../guard.ts';
import { toUser } from '../mappers.ts';
import { User } from '../schemas.ts';
import { RegisterBody, UpdateMeBody } from './account-schemas.ts';
import * as service from './account-service.ts';

const tags = ['auth'];
const bearer = [{ bearerAuth: [] }];

/** Registration and the current user's own account, under `/api/auth`. */
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

  app.get(
    '/me',
    {
      onRequest: authenticate,
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
      onRequest: authenticate,
      schema: {
        tags,
        summary:
          'Update profile, email or password (both need `currentPassword`; a new password ends every other session)',
        security: bearer,
        body: UpdateMeBody,
        response: { 200: User, ...problemResponses(401, 403, 409, 422, 429) },
      },
    },
    async (request) => {
      const user = currentUser(request);
      const options = { client: clientInfo(request), sessionId: user.sessionId };
      return toUser(await service.updateAccount(app, user.id, request.body, options));
    },
  );
};

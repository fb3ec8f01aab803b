import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problemResponses } from '../../../core/schemas.ts';
import { clientInfo } from '../client-info.ts';
import { authenticate, authorize, currentUser } from '../guard.ts';
import { toAuditEvent, toManagedUser } from '../mappers.ts';
import {
  AuditPage,
  AuditQuery,
  ManagedUser,
  UpdateUserBody,
  UserListQuery,
  UserPage,
  UserParams,
} from './admin-schemas.ts';
import * as admin from './admin-service.ts';

const tags = ['auth'];
const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { cookieAuth: [] }];

/** User administration (admins only) and the audit log, under `/api/auth`. */
export const adminRoutes: FastifyPluginAsyncTypebox = async (app) => {
  // Every route here needs a user: one hook for all of them, before any validation.
  app.addHook('onRequest', authenticate);

  app.get(
    '/users',
    {
      onRequest: authorize('admin'),
      schema: {
        tags,
        summary: 'List accounts, newest first, optionally by email or username prefix (admin)',
        security,
        querystring: UserListQuery,
        response: { 200: UserPage, ...problemResponses(401, 403, 422) },
      },
    },
    async (request) => {
      const page = await admin.listUsers(app, request.query);
      return { items: page.items.map(toManagedUser), nextCursor: page.nextCursor };
    },
  );

  app.patch(
    '/users/:id',
    {
      onRequest: authorize('admin'),
      schema: {
        tags,
        summary: "Change an account's role, or disable/enable it (disabling ends its sessions) (admin)",
        security,
        params: UserParams,
        body: UpdateUserBody,
        response: { 200: ManagedUser, ...problemResponses(401, 403, 404, 422) },
      },
    },
    async (request) =>
      toManagedUser(
        await admin.updateUser(app, currentUser(request), request.params.id, request.body, clientInfo(request)),
      ),
  );

  app.get(
    '/audit',
    {
      schema: {
        tags,
        summary: 'Audit events, newest first: your own; admins see everyone’s (or one user’s with `userId`)',
        security,
        querystring: AuditQuery,
        response: { 200: AuditPage, ...problemResponses(401, 403, 422) },
      },
    },
    async (request) => {
      const page = await admin.listAudit(app, currentUser(request), request.query);
      return { items: page.items.map(toAuditEvent), nextCursor: page.nextCursor };
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requestDb } from '../../core/idempotency.ts';
import { NoContent, problemResponses } from '../../core/schemas.ts';
import { currentUser } from '../auth/index.ts';
import * as service from './member-service.ts';
import { AddMember, ConversationParams, Member, MemberParams, UpdateMember } from './schemas.ts';

/** /api/conversations/{id}/members: who is in a group, adding, promoting, removing and leaving. */

const tags = { tags: ['messages'], security: [{ bearerAuth: [] }] };

export const memberRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/conversations/:id/members',
    {
      schema: {
        ...tags,
        summary: 'Members, with their roles and read positions (read receipts)',
        params: ConversationParams,
        response: { 200: Type.Object({ items: Type.Array(Member) }), ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => service.listMembers(app.db, currentUser(request).id, request.params.id),
  );

  app.post(
    '/conversations/:id/members',
    {
      config: { idempotent: true },
      schema: {
        ...tags,
        summary: 'Add someone to a group (admins)',
        params: ConversationParams,
        body: AddMember,
        response: { 201: Member, ...problemResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const member = await service.addMember(
        { db: requestDb(request, app.db), realtime: app.realtime },
        currentUser(request).id,
        request.params.id,
        request.body,
      );
      return reply.code(201).send(member);
    },
  );

  app.patch(
    '/conversations/:id/members/:userId',
    {
      schema: {
        ...tags,
        summary: "Change a member's role (admins)",
        params: MemberParams,
        body: UpdateMember,
        response: { 200: Member, ...problemResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request) =>
      service.changeRole(app, currentUser(request).id, request.params.id, request.params.userId, request.body.role),
  );

  app.delete(
    '/conversations/:id/members/:userId',
    {
      schema: {
        ...tags,
        summary:
          'Remove a member (admins), or leave (your own id); the last admin leaving promotes the longest-standing member',
        params: MemberParams,
        response: { 204: NoContent, ...problemResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      await service.removeMember(app, currentUser(request).id, request.params.id, request.params.userId);
      return reply.code(204).send(null);
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requestDb } from '../../core/idempotency.ts';
import { problemResponses } from '../../core/schemas.ts';
import { currentUser } from '../auth/index.ts';
import * as service from './conversation-service.ts';
import {
  Conversation,
  ConversationPage,
  ConversationParams,
  ConversationQuery,
  CreateConversation,
  MarkRead,
  ReadState,
  Unread,
  UpdateConversation,
} from './schemas.ts';

/** /api/conversations: conversations, their titles and read state. */

const tags = { tags: ['messages'], security: [{ bearerAuth: [] }] };

export const conversationRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/conversations',
    {
      config: { idempotent: true },
      schema: {
        ...tags,
        summary: 'Start a group, or open the direct conversation with someone (200 when it already exists)',
        body: CreateConversation,
        response: { 200: Conversation, 201: Conversation, ...problemResponses(401, 403, 409, 422) },
      },
    },
    async (request, reply) => {
      const { conversation, created } = await service.createConversation(
        { db: requestDb(request, app.db), realtime: app.realtime },
        currentUser(request).id,
        request.body,
      );
      reply.header('location', `/api/conversations/${conversation.id}`);
      return reply.code(created ? 201 : 200).send(conversation);
    },
  );

  app.get(
    '/conversations',
    {
      schema: {
        ...tags,
        summary: 'My conversations, most recently active first, with the last message and unread count',
        querystring: ConversationQuery,
        response: { 200: ConversationPage, ...problemResponses(401, 422) },
      },
    },
    async (request) => service.listConversations(app.db, currentUser(request).id, request.query),
  );

  app.get(
    '/conversations/unread',
    {
      schema: {
        ...tags,
        summary: 'Unread counts of all my conversations',
        response: { 200: Unread, ...problemResponses(401) },
      },
    },
    async (request) => service.unreadCounts(app.db, currentUser(request).id),
  );

  app.get(
    '/conversations/:id',
    {
      schema: {
        ...tags,
        summary: 'A conversation',
        params: ConversationParams,
        response: { 200: Conversation, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => service.getConversation(app.db, currentUser(request).id, request.params.id),
  );

  app.patch(
    '/conversations/:id',
    {
      schema: {
        ...tags,
        summary: 'Rename a group (admins)',
        params: ConversationParams,
        body: UpdateConversation,
        response: { 200: Conversation, ...problemResponses(401, 403, 404, 422) },
      },
    },
    async (request) => service.renameConversation(app, currentUser(request).id, request.params.id, request.body.title),
  );

  app.post(
    '/conversations/:id/read',
    {
      schema: {
        ...tags,
        summary: 'Mark messages read up to a sequence (a read receipt for the other members)',
        params: ConversationParams,
        body: MarkRead,
        response: { 200: ReadState, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => service.markRead(app, currentUser(request).id, request.params.id, request.body.seq),
  );
};

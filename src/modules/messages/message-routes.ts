import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requestDb } from '../../core/idempotency.ts';
import { NoContent, problemResponses } from '../../core/schemas.ts';
import { currentUser } from '../auth/index.ts';
import * as service from './message-service.ts';
import {
  ConversationParams,
  EditMessage,
  History,
  HistoryQuery,
  Message,
  MessageParams,
  PostMessage,
} from './schemas.ts';

/** /api/conversations/{id}/messages: history, posting, editing, deleting. */

const tags = { tags: ['messages'], security: [{ bearerAuth: [] }] };

export const messageRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/conversations/:id/messages',
    {
      schema: {
        ...tags,
        summary: 'History: `before` a sequence (newest first), `after` one (oldest first), or the latest',
        params: ConversationParams,
        querystring: HistoryQuery,
        response: { 200: History, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => service.history(app.db, currentUser(request).id, request.params.id, request.query),
  );

  app.post(
    '/conversations/:id/messages',
    {
      config: { idempotent: true },
      schema: {
        ...tags,
        summary: 'Post a message (send an Idempotency-Key: a retry never posts twice)',
        params: ConversationParams,
        body: PostMessage,
        response: { 201: Message, ...problemResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const message = await service.postMessage(
        { db: requestDb(request, app.db), realtime: app.realtime },
        currentUser(request).id,
        request.params.id,
        request.body,
      );
      reply.header('location', `/api/conversations/${message.conversationId}/messages/${message.seq}`);
      return reply.code(201).send(message);
    },
  );

  app.patch(
    '/conversations/:id/messages/:seq',
    {
      schema: {
        ...tags,
        summary: 'Edit your message (marked edited, with the time)',
        params: MessageParams,
        body: EditMessage,
        response: { 200: Message, ...problemResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request) =>
      service.editMessage(app, currentUser(request).id, request.params.id, request.params.seq, request.body.body),
  );

  app.delete(
    '/conversations/:id/messages/:seq',
    {
      schema: {
        ...tags,
        summary: 'Delete your message (a tombstone keeps its place in the history)',
        params: MessageParams,
        response: { 204: NoContent, ...problemResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      await service.deleteMessage(app, currentUser(request).id, request.params.id, request.params.seq);
      return reply.code(204).send(null);
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requestDb } from '../../core/idempotency.ts';
import { NoContent, problemResponses } from '../../core/schemas.ts';
import { currentUser } from '../auth/index.ts';
import type { NotesContext } from './context.ts';
import * as service from './notebook-service.ts';
import { CreateNotebook, Notebook, NotebookPage, NotebookParams, NotebookQuery, UpdateNotebook } from './schemas.ts';

/** /api/notes/notebooks: nested notebooks. */

const tags = { tags: ['notes'], security: [{ bearerAuth: [] }] };

export const notebookRoutes: FastifyPluginAsyncTypebox<{ ctx: NotesContext }> = async (app, { ctx }) => {
  app.get(
    '/notes/notebooks',
    {
      schema: {
        ...tags,
        summary: 'Your notebooks, by name (each with its `parentId`: build the tree from them)',
        querystring: NotebookQuery,
        response: { 200: NotebookPage, ...problemResponses(401, 422) },
      },
    },
    async (request) => service.listNotebooks(app.db, currentUser(request).id, request.query),
  );

  app.post(
    '/notes/notebooks',
    {
      config: { idempotent: true },
      schema: {
        ...tags,
        summary: 'Create a notebook, at the top or inside another (`parentId`)',
        body: CreateNotebook,
        response: { 201: Notebook, ...problemResponses(401, 409, 422) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await service.createNotebook(requestDb(request, app.db), currentUser(request).id, request.body)),
  );

  app.patch(
    '/notes/notebooks/:notebookId',
    {
      schema: {
        ...tags,
        summary: 'Rename a notebook or move it (`parentId`; null: to the top)',
        params: NotebookParams,
        body: UpdateNotebook,
        response: { 200: Notebook, ...problemResponses(401, 404, 409, 422) },
      },
    },
    async (request) => service.updateNotebook(app.db, currentUser(request).id, request.params.notebookId, request.body),
  );

  app.delete(
    '/notes/notebooks/:notebookId',
    {
      schema: {
        ...tags,
        summary: 'Delete a notebook and those inside it; their notes are kept, unfiled',
        params: NotebookParams,
        response: { 204: NoContent, ...problemResponses(401, 404, 422) },
      },
    },
    async (request, reply) => {
      await service.deleteNotebook(ctx, currentUser(request).id, request.params.notebookId);
      return reply.code(204).send(null);
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IfMatchHeaders, IfNoneMatchHeaders, ifMatchOf, NotModified, notModified, setEtag } from '../../core/etag.ts';
import { requestDb } from '../../core/idempotency.ts';
import { NoContent, problemResponses } from '../../core/schemas.ts';
import { currentUser } from '../auth/index.ts';
import type { NotesContext } from './context.ts';
import * as service from './notebook-service.ts';
import {
  CreateNotebook,
  Notebook,
  NotebookPage,
  NotebookParams,
  NotebookQuery,
  notebookConflictResponse,
  UpdateNotebook,
} from './schemas.ts';

/** /api/notes/notebooks: nested notebooks, versioned like notes (ETag, If-Match required on writes). */

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
    async (request, reply) => {
      const notebook = await service.createNotebook(requestDb(request, app.db), currentUser(request).id, request.body);
      setEtag(reply, notebook.version).header('location', `/api/notes/notebooks/${notebook.id}`);
      return reply.code(201).send(notebook);
    },
  );

  app.get(
    '/notes/notebooks/:notebookId',
    {
      schema: {
        ...tags,
        summary: 'Get a notebook (its ETag is what PATCH and DELETE need in If-Match)',
        params: NotebookParams,
        headers: IfNoneMatchHeaders,
        response: { 200: Notebook, 304: NotModified, ...problemResponses(401, 404, 422) },
      },
    },
    async (request, reply) => {
      const notebook = await service.getNotebook(app.db, currentUser(request).id, request.params.notebookId);
      if (notModified(request, reply, notebook.version)) return reply;
      return setEtag(reply, notebook.version).send(notebook);
    },
  );

  app.patch(
    '/notes/notebooks/:notebookId',
    {
      schema: {
        ...tags,
        summary:
          'Rename a notebook or move it (`parentId`; null: to the top); If-Match is required (428 without, 412 with the current notebook)',
        params: NotebookParams,
        headers: IfMatchHeaders,
        body: UpdateNotebook,
        response: { 200: Notebook, ...notebookConflictResponse, ...problemResponses(401, 404, 409, 422, 428) },
      },
    },
    async (request, reply) => {
      const { id } = currentUser(request);
      const { notebookId } = request.params;
      const notebook = await service.updateNotebook(app.db, id, notebookId, request.body, ifMatchOf(request));
      return setEtag(reply, notebook.version).send(notebook);
    },
  );

  app.delete(
    '/notes/notebooks/:notebookId',
    {
      schema: {
        ...tags,
        summary: 'Delete a notebook and those inside it; their notes are kept, unfiled. If-Match is required',
        params: NotebookParams,
        headers: IfMatchHeaders,
        response: { 204: NoContent, ...notebookConflictResponse, ...problemResponses(401, 404, 422, 428) },
      },
    },
    async (request, reply) => {
      await service.deleteNotebook(ctx, currentUser(request).id, request.params.notebookId, ifMatchOf(request));
      return reply.code(204).send(null);
    },
  );
};

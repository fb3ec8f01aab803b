import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requestDb } from '../../core/idempotency.ts';
import { NoContent, problemResponses } from '../../core/schemas.ts';
import { currentUser } from '../auth/index.ts';
import * as service from './attachment-service.ts';
import { AttachFile, Attachment, AttachmentList, AttachmentParams, NoteParams } from './schemas.ts';

/** /api/notes/{id}/attachments: files (uploaded through /api/files) held by a note. */

const tags = { tags: ['notes'], security: [{ bearerAuth: [] }] };

export const attachmentRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/notes/:id/attachments',
    {
      schema: {
        ...tags,
        summary: "A note's files, oldest first (also those its body shows as /api/files/{id})",
        params: NoteParams,
        response: { 200: AttachmentList, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => service.listNoteAttachments(app.db, currentUser(request).id, request.params.id),
  );

  app.post(
    '/notes/:id/attachments',
    {
      config: { idempotent: true },
      schema: {
        ...tags,
        summary: 'Attach one of your files to a note (again: no change)',
        params: NoteParams,
        body: AttachFile,
        response: { 201: Attachment, ...problemResponses(401, 404, 422) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await service.attach(
            requestDb(request, app.db),
            currentUser(request).id,
            request.params.id,
            request.body.fileId,
          ),
        ),
  );

  app.delete(
    '/notes/:id/attachments/:fileId',
    {
      schema: {
        ...tags,
        summary: 'Detach a file from a note (the file itself stays yours)',
        params: AttachmentParams,
        response: { 204: NoContent, ...problemResponses(401, 404, 422) },
      },
    },
    async (request, reply) => {
      const { id, fileId } = request.params;
      await service.detach(app.db, currentUser(request).id, id, fileId);
      return reply.code(204).send(null);
    },
  );
};

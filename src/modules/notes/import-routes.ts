import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply } from 'fastify';
import { unprocessable } from '../../core/errors.ts';
import { problemResponses } from '../../core/schemas.ts';
import { currentUser } from '../auth/index.ts';
import { exportNotes } from './export-service.ts';
import { type EnqueueImport, getImport, startImport } from './import-service.ts';
import { ImportParams, ImportQuery, NoteImport } from './schemas.ts';

/** /api/notes/export and /api/notes/import: markdown in a zip out; the same (or Evernote's .enex) in. */

const tags = { tags: ['notes'], security: [{ bearerAuth: [] }] };
/** The largest upload an import takes. */
export const MAX_IMPORT_BYTES = 50 * 1024 * 1024;

export const importRoutes: FastifyPluginAsyncTypebox<{ enqueue: EnqueueImport }> = async (app, { enqueue }) => {
  // Raw bodies for this plugin's routes only: a zip, or Evernote's XML.
  app.addContentTypeParser(
    ['application/zip', 'application/xml', 'text/xml', 'application/octet-stream'],
    { parseAs: 'buffer', bodyLimit: MAX_IMPORT_BYTES },
    (_request, body, done) => done(null, body),
  );

  app.get(
    '/notes/export',
    {
      schema: {
        ...tags,
        summary:
          'Every note (not the trash) as markdown with front matter in notebook folders, with its files, as a zip',
        description:
          "Each note's files are under `attachments/<fileId>/<name>` and listed in its front matter (`attachments`); " +
          'link targets in the body point at them relative to the note, so the unzipped folder shows them in any ' +
          'markdown editor. Streamed as the client reads it.',
        response: {
          200: {
            description: 'A zip, streamed',
            content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } },
          },
          ...problemResponses(401),
        },
      },
    },
    async (request, reply) => {
      const stream = await exportNotes(app.db, app.files, currentUser(request).id);
      // A stream, not a serialized body: sent through the untyped reply.
      const raw: FastifyReply = reply;
      return raw.type('application/zip').header('content-disposition', 'attachment; filename="notes.zip"').send(stream);
    },
  );

  app.post(
    '/notes/import',
    {
      schema: {
        ...tags,
        summary: 'Import a zip of markdown (as exported) or an Evernote .enex; runs as a job: poll its status',
        description:
          "Attachments (the zip entries a note lists, an .enex note's resources) become new files of yours, " +
          'attached to the note, with `/api/files/<old id>` in its body rewritten to the new id. A note any of ' +
          "whose files is refused (size, type, quota, the import's limits) is skipped whole, with the reason.",
        querystring: ImportQuery,
        response: { 202: NoteImport, ...problemResponses(401, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      const body = request.body as unknown;
      if (!Buffer.isBuffer(body) || body.length === 0) {
        throw unprocessable([
          { field: 'body', message: 'must be a zip (application/zip) or an .enex (application/xml)' },
        ]);
      }
      const started = await startImport(app.db, enqueue, currentUser(request).id, request.query.format, body);
      return reply.code(202).header('location', `/api/notes/imports/${started.id}`).send(started);
    },
  );

  app.get(
    '/notes/imports/:importId',
    {
      schema: {
        ...tags,
        summary: 'How an import went: queued or done, how many notes came in, which were skipped and why',
        params: ImportParams,
        response: { 200: NoteImport, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => getImport(app.db, currentUser(request).id, request.params.importId),
  );
};

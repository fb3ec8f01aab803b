import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requestDb } from '../../../core/idempotency.ts';
import { Page, problemResponses } from '../../../core/schemas.ts';
import { currentUser } from '../../auth/index.ts';
import { docs, IdParams } from '../schemas.ts';
import { CommitImport, CommitResult, ImportBatch, ImportQuery, Preview, PreviewImport } from './import-schemas.ts';
import * as service from './import-service.ts';
import { csvSource, type OpenFile } from './import-source.ts';

/** /api/expenses/imports */
export const importRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const openFile =
    (userId: string): OpenFile =>
    (fileId) =>
      app.files.read(userId, fileId);

  app.post(
    '/imports/preview',
    {
      schema: {
        ...docs,
        summary:
          "Preview a bank CSV (in the body, or an uploaded file's id): detected delimiter, formats and columns, each row's status, category and payee (nothing is saved)",
        body: PreviewImport,
        response: { 200: Preview, ...problemResponses(400, 401, 404, 413, 422) },
      },
    },
    async (request) => {
      const userId = currentUser(request).id;
      const source = await csvSource(openFile(userId), request.body);
      return service.preview(app.db, userId, { ...request.body, ...source });
    },
  );

  app.post(
    '/imports',
    {
      config: { idempotent: true },
      schema: {
        ...docs,
        summary:
          'Import the chosen rows of a bank CSV (body or uploaded file) as one batch, with their categories and payees, per-line overrides (duplicates never; re-importing adds nothing)',
        body: CommitImport,
        response: { 201: CommitResult, ...problemResponses(400, 401, 404, 409, 413, 422) },
      },
    },
    async (request, reply) => {
      const userId = currentUser(request).id;
      const source = await csvSource(openFile(userId), request.body);
      const result = await service.commit(requestDb(request, app.db), userId, { ...request.body, ...source });
      return reply.code(201).header('location', `/api/expenses/imports/${result.batch.id}`).send(result);
    },
  );

  app.get(
    '/imports',
    {
      schema: {
        ...docs,
        summary: 'Your import batches, oldest first',
        querystring: ImportQuery,
        response: { 200: Page(ImportBatch), ...problemResponses(401, 422) },
      },
    },
    async (request) => service.listBatches(app.db, currentUser(request).id, request.query),
  );

  app.get(
    '/imports/:id',
    {
      schema: {
        ...docs,
        summary: 'An import batch',
        params: IdParams,
        response: { 200: ImportBatch, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => service.getBatch(app.db, currentUser(request).id, request.params.id),
  );

  app.post(
    '/imports/:id/undo',
    {
      schema: {
        ...docs,
        summary: 'Undo a batch: every transaction it made goes, at once',
        params: IdParams,
        response: { 200: ImportBatch, ...problemResponses(401, 404, 409, 422) },
      },
    },
    async (request) => service.undo(app.db, currentUser(request).id, request.params.id),
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requestDb } from '../../../core/idempotency.ts';
import { NoContent, Page, problemResponses } from '../../../core/schemas.ts';
import { currentUser } from '../../auth/index.ts';
import { docs, IdParams } from '../schemas.ts';
import { CreateNamed, MergePayee, MergeResult, Named, NamedQuery } from './label-schemas.ts';
import * as service from './label-service.ts';

/** /api/expenses/tags and /api/expenses/payees: the same routes over two tables; payees also merge. */
export const namedRoutes: FastifyPluginAsyncTypebox<{ kind: service.NamedKind }> = async (app, { kind }) => {
  const { what } = service.NAMED[kind];
  const base = `/${kind}`;

  app.post(
    base,
    {
      config: { idempotent: true },
      schema: {
        ...docs,
        summary: `Create a ${what}`,
        body: CreateNamed,
        response: { 201: Named, ...problemResponses(400, 401, 409, 422) },
      },
    },
    async (request, reply) => {
      const db = requestDb(request, app.db);
      const named = await service.createNamed(db, kind, currentUser(request).id, request.body.name);
      return reply.code(201).header('location', `/api/expenses${base}/${named.id}`).send(named);
    },
  );

  app.get(
    base,
    {
      schema: {
        ...docs,
        summary: `Your ${kind}, oldest first`,
        querystring: NamedQuery,
        response: { 200: Page(Named), ...problemResponses(401, 422) },
      },
    },
    async (request) => service.listNamed(app.db, kind, currentUser(request).id, request.query),
  );

  app.get(
    `${base}/:id`,
    {
      schema: {
        ...docs,
        summary: `A ${what}`,
        params: IdParams,
        response: { 200: Named, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => service.getNamed(app.db, kind, currentUser(request).id, request.params.id),
  );

  app.patch(
    `${base}/:id`,
    {
      schema: {
        ...docs,
        summary: `Rename a ${what}`,
        params: IdParams,
        body: CreateNamed,
        response: { 200: Named, ...problemResponses(400, 401, 404, 409, 422) },
      },
    },
    async (request) => service.renameNamed(app.db, kind, currentUser(request).id, request.params.id, request.body.name),
  );

  app.delete(
    `${base}/:id`,
    {
      schema: {
        ...docs,
        summary: `Delete a ${what}`,
        params: IdParams,
        response: { 204: NoContent, ...problemResponses(401, 404, 422) },
      },
    },
    async (request, reply) => {
      await service.deleteNamed(app.db, kind, currentUser(request).id, request.params.id);
      return reply.code(204).send(null);
    },
  );

  if (kind !== 'payees') return;
  app.post(
    `${base}/:id/merge`,
    {
      schema: {
        ...docs,
        summary: 'Merge a payee into another: all its transactions and rules move there, then it is deleted',
        params: IdParams,
        body: MergePayee,
        response: { 200: MergeResult, ...problemResponses(400, 401, 404, 409, 422) },
      },
    },
    async (request) => service.mergePayee(app.db, currentUser(request).id, request.params.id, request.body.intoId),
  );
};

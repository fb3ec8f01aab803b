import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import {
  expectedVersion,
  IfMatchHeaders,
  IfNoneMatchHeaders,
  NotModified,
  notModified,
  setEtag,
} from '../../../core/etag.ts';
import { requestDb } from '../../../core/idempotency.ts';
import { NoContent, Page, problemResponses } from '../../../core/schemas.ts';
import { currentUser } from '../../auth/index.ts';
import { docs, IdParams } from '../schemas.ts';
import {
  CreateRecurring,
  Recurring,
  RecurringQuery,
  Upcoming,
  UpcomingQuery,
  UpdateRecurring,
} from './recurring-schemas.ts';
import * as service from './recurring-service.ts';

/** /api/expenses/recurring */
export const recurringRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/recurring',
    {
      config: { idempotent: true },
      schema: {
        ...docs,
        summary: 'Make a recurring rule: one transaction per occurrence, caught up after any downtime, never twice',
        body: CreateRecurring,
        response: { 201: Recurring, ...problemResponses(400, 401, 409, 422) },
      },
    },
    async (request, reply) => {
      const ctx = { db: requestDb(request, app.db), jobs: app.jobs };
      const rule = await service.createRecurring(ctx, currentUser(request).id, request.body);
      setEtag(reply, rule.version).header('location', `/api/expenses/recurring/${rule.id}`);
      return reply.code(201).send(rule);
    },
  );

  app.get(
    '/recurring',
    {
      schema: {
        ...docs,
        summary: 'Your recurring rules, oldest first',
        querystring: RecurringQuery,
        response: { 200: Page(Recurring), ...problemResponses(401, 422) },
      },
    },
    async (request) => service.listRecurring(app.db, currentUser(request).id, request.query),
  );

  app.get(
    '/recurring/upcoming',
    {
      schema: {
        ...docs,
        summary: 'The next occurrences of all your rules',
        querystring: UpcomingQuery,
        response: { 200: Upcoming, ...problemResponses(401, 422) },
      },
    },
    async (request) => service.upcoming(app.db, currentUser(request).id, request.query.until),
  );

  app.get(
    '/recurring/:id',
    {
      schema: {
        ...docs,
        summary: 'A recurring rule',
        params: IdParams,
        headers: IfNoneMatchHeaders,
        response: { 200: Recurring, 304: NotModified, ...problemResponses(401, 404, 422) },
      },
    },
    async (request, reply) => {
      const rule = await service.getRecurring(app.db, currentUser(request).id, request.params.id);
      if (notModified(request, reply, rule.version)) return reply;
      return setEtag(reply, rule.version).send(rule);
    },
  );

  app.patch(
    '/recurring/:id',
    {
      schema: {
        ...docs,
        summary: 'Rename, change the amount, note or expected range; send If-Match to avoid lost updates',
        params: IdParams,
        headers: IfMatchHeaders,
        body: UpdateRecurring,
        response: { 200: Recurring, ...problemResponses(400, 401, 404, 409, 412, 422) },
      },
    },
    async (request, reply) => {
      const { id } = currentUser(request);
      const rule = await service.updateRecurring(app.db, id, request.params.id, request.body, expectedVersion(request));
      return setEtag(reply, rule.version).send(rule);
    },
  );

  app.delete(
    '/recurring/:id',
    {
      schema: {
        ...docs,
        summary: 'Delete a rule (the transactions it made stay)',
        params: IdParams,
        headers: IfMatchHeaders,
        response: { 204: NoContent, ...problemResponses(401, 404, 409, 412, 422) },
      },
    },
    async (request, reply) => {
      await service.deleteRecurring(app.db, currentUser(request).id, request.params.id, expectedVersion(request));
      return reply.code(204).send(null);
    },
  );
};

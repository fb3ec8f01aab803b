import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requestDb } from '../../../core/idempotency.ts';
import { NoContent, Page, problemResponses } from '../../../core/schemas.ts';
import { currentUser } from '../../auth/index.ts';
import { docs } from '../schemas.ts';
import { PutRate, Rate, RateCsv, RateImportResult, RateParams, RateQuery } from './rate-schemas.ts';
import * as service from './rate-service.ts';

/** /api/expenses/rates */
export const rateRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/rates',
    {
      config: { idempotent: true },
      schema: {
        ...docs,
        summary: 'Enter the rate of a currency pair on a date (replaces one entered before)',
        body: PutRate,
        response: { 201: Rate, ...problemResponses(400, 401, 409, 422) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await service.putRate(requestDb(request, app.db), currentUser(request).id, request.body)),
  );

  app.post(
    '/rates/import',
    {
      config: { idempotent: true },
      schema: {
        ...docs,
        summary: 'Import rates from CSV (`date,base,quote,rate`): all rows or none, errors name their line',
        body: RateCsv,
        response: { 200: RateImportResult, ...problemResponses(400, 401, 409, 422) },
      },
    },
    async (request) => service.importRates(requestDb(request, app.db), currentUser(request).id, request.body.csv),
  );

  app.get(
    '/rates',
    {
      schema: {
        ...docs,
        summary: 'Your exchange rates, by pair and date',
        querystring: RateQuery,
        response: { 200: Page(Rate), ...problemResponses(401, 422) },
      },
    },
    async (request) => service.listRates(app.db, currentUser(request).id, request.query),
  );

  app.delete(
    '/rates/:base/:quote/:date',
    {
      schema: {
        ...docs,
        summary: 'Delete a rate',
        params: RateParams,
        response: { 204: NoContent, ...problemResponses(401, 404, 422) },
      },
    },
    async (request, reply) => {
      await service.deleteRate(app.db, currentUser(request).id, request.params);
      return reply.code(204).send(null);
    },
  );
};

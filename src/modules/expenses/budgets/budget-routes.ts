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
import { Budget, BudgetQuery, BudgetVsActual, CreateBudget, PeriodQuery, UpdateBudget } from './budget-schemas.ts';
import * as service from './budget-service.ts';

/** /api/expenses/budgets */
export const budgetRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/budgets',
    {
      config: { idempotent: true },
      schema: {
        ...docs,
        summary: 'Budget an amount per period for a category (and its subcategories)',
        body: CreateBudget,
        response: { 201: Budget, ...problemResponses(400, 401, 409, 422) },
      },
    },
    async (request, reply) => {
      const budget = await service.createBudget(requestDb(request, app.db), currentUser(request).id, request.body);
      setEtag(reply, budget.version).header('location', `/api/expenses/budgets/${budget.id}`);
      return reply.code(201).send(budget);
    },
  );

  app.get(
    '/budgets',
    {
      schema: {
        ...docs,
        summary: 'Your budgets, oldest first',
        querystring: BudgetQuery,
        response: { 200: Page(Budget), ...problemResponses(401, 422) },
      },
    },
    async (request) => service.listBudgets(app.db, currentUser(request).id, request.query),
  );

  app.get(
    '/budgets/:id',
    {
      schema: {
        ...docs,
        summary: 'A budget',
        params: IdParams,
        headers: IfNoneMatchHeaders,
        response: { 200: Budget, 304: NotModified, ...problemResponses(401, 404, 422) },
      },
    },
    async (request, reply) => {
      const budget = await service.getBudget(app.db, currentUser(request).id, request.params.id);
      if (notModified(request, reply, budget.version)) return reply;
      return setEtag(reply, budget.version).send(budget);
    },
  );

  app.get(
    '/budgets/:id/periods',
    {
      schema: {
        ...docs,
        summary: 'Budget vs actual, period by period, with rollover carried from the start',
        params: IdParams,
        querystring: PeriodQuery,
        response: { 200: BudgetVsActual, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) =>
      service.budgetVsActual(
        app.db,
        currentUser(request).id,
        request.params.id,
        request.query,
        app.config.expenses.rateMaxAgeDays,
      ),
  );

  app.patch(
    '/budgets/:id',
    {
      schema: {
        ...docs,
        summary: 'Change the amount, rollover or (custom) end date; send If-Match to avoid lost updates',
        params: IdParams,
        headers: IfMatchHeaders,
        body: UpdateBudget,
        response: { 200: Budget, ...problemResponses(400, 401, 404, 409, 412, 422) },
      },
    },
    async (request, reply) => {
      const { id } = currentUser(request);
      const budget = await service.updateBudget(app.db, id, request.params.id, request.body, expectedVersion(request));
      return setEtag(reply, budget.version).send(budget);
    },
  );

  app.delete(
    '/budgets/:id',
    {
      schema: {
        ...docs,
        summary: 'Delete a budget',
        params: IdParams,
        headers: IfMatchHeaders,
        response: { 204: NoContent, ...problemResponses(401, 404, 409, 412, 422) },
      },
    },
    async (request, reply) => {
      await service.deleteBudget(app.db, currentUser(request).id, request.params.id, expectedVersion(request));
      return reply.code(204).send(null);
    },
  );
};

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
import { Category, CategoryQuery, CreateCategory, UpdateCategory } from './label-schemas.ts';
import * as service from './label-service.ts';

/** /api/expenses/categories */
export const categoryRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/categories',
    {
      config: { idempotent: true },
      schema: {
        ...docs,
        summary: 'Create a category (top level, or under a top-level one of the same kind)',
        body: CreateCategory,
        response: { 201: Category, ...problemResponses(400, 401, 409, 422) },
      },
    },
    async (request, reply) => {
      const category = await service.createCategory(requestDb(request, app.db), currentUser(request).id, request.body);
      setEtag(reply, category.version).header('location', `/api/expenses/categories/${category.id}`);
      return reply.code(201).send(category);
    },
  );

  app.get(
    '/categories',
    {
      schema: {
        ...docs,
        summary: 'Your categories, oldest first',
        querystring: CategoryQuery,
        response: { 200: Page(Category), ...problemResponses(401, 422) },
      },
    },
    async (request) => service.listCategories(app.db, currentUser(request).id, request.query),
  );

  app.get(
    '/categories/:id',
    {
      schema: {
        ...docs,
        summary: 'A category',
        params: IdParams,
        headers: IfNoneMatchHeaders,
        response: { 200: Category, 304: NotModified, ...problemResponses(401, 404, 422) },
      },
    },
    async (request, reply) => {
      const category = await service.getCategory(app.db, currentUser(request).id, request.params.id);
      if (notModified(request, reply, category.version)) return reply;
      return setEtag(reply, category.version).send(category);
    },
  );

  app.patch(
    '/categories/:id',
    {
      schema: {
        ...docs,
        summary: 'Rename or move a category; send If-Match to avoid lost updates',
        params: IdParams,
        headers: IfMatchHeaders,
        body: UpdateCategory,
        response: { 200: Category, ...problemResponses(400, 401, 404, 409, 412, 422) },
      },
    },
    async (request, reply) => {
      const { id } = currentUser(request);
      const category = await service.updateCategory(
        app.db,
        id,
        request.params.id,
        request.body,
        expectedVersion(request),
      );
      return setEtag(reply, category.version).send(category);
    },
  );

  app.delete(
    '/categories/:id',
    {
      schema: {
        ...docs,
        summary: 'Delete a category no transaction or subcategory uses (its budgets go with it)',
        params: IdParams,
        headers: IfMatchHeaders,
        response: { 204: NoContent, ...problemResponses(401, 404, 409, 412, 422) },
      },
    },
    async (request, reply) => {
      await service.deleteCategory(app.db, currentUser(request).id, request.params.id, expectedVersion(request));
      return reply.code(204).send(null);
    },
  );
};

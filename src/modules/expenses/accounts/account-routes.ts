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
import { Account, AccountQuery, Balance, BalanceQuery, CreateAccount, UpdateAccount } from './account-schemas.ts';
import * as service from './account-service.ts';

/** /api/expenses/accounts */
export const accountRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/accounts',
    {
      config: { idempotent: true },
      schema: {
        ...docs,
        summary: 'Open an account (send an Idempotency-Key: a retry never opens two)',
        body: CreateAccount,
        response: { 201: Account, ...problemResponses(400, 401, 409, 422) },
      },
    },
    async (request, reply) => {
      const account = await service.createAccount(requestDb(request, app.db), currentUser(request).id, request.body);
      setEtag(reply, account.version).header('location', `/api/expenses/accounts/${account.id}`);
      return reply.code(201).send(account);
    },
  );

  app.get(
    '/accounts',
    {
      schema: {
        ...docs,
        summary: 'Your accounts with their balances, oldest first',
        querystring: AccountQuery,
        response: { 200: Page(Account), ...problemResponses(401, 422) },
      },
    },
    async (request) => service.listAccounts(app.db, currentUser(request).id, request.query),
  );

  app.get(
    '/accounts/:id',
    {
      schema: {
        ...docs,
        summary: 'An account and its balance',
        params: IdParams,
        headers: IfNoneMatchHeaders,
        response: { 200: Account, 304: NotModified, ...problemResponses(401, 404, 422) },
      },
    },
    async (request, reply) => {
      const account = await service.getAccount(app.db, currentUser(request).id, request.params.id);
      if (notModified(request, reply, account.version)) return reply;
      return setEtag(reply, account.version).send(account);
    },
  );

  app.get(
    '/accounts/:id/balance',
    {
      schema: {
        ...docs,
        summary: "An account's balance at the end of a date",
        params: IdParams,
        querystring: BalanceQuery,
        response: { 200: Balance, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => service.balanceAt(app.db, currentUser(request).id, request.params.id, request.query.at),
  );

  app.patch(
    '/accounts/:id',
    {
      schema: {
        ...docs,
        summary: 'Rename, retype, archive or change the opening balance; send If-Match to avoid lost updates',
        params: IdParams,
        headers: IfMatchHeaders,
        body: UpdateAccount,
        response: { 200: Account, ...problemResponses(400, 401, 404, 409, 412, 422) },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const account = await service.updateAccount(
        app.db,
        currentUser(request).id,
        id,
        request.body,
        expectedVersion(request),
      );
      return setEtag(reply, account.version).send(account);
    },
  );

  app.delete(
    '/accounts/:id',
    {
      schema: {
        ...docs,
        summary: 'Delete an account that has no transactions (archive the others)',
        params: IdParams,
        headers: IfMatchHeaders,
        response: { 204: NoContent, ...problemResponses(401, 404, 409, 412, 422) },
      },
    },
    async (request, reply) => {
      await service.deleteAccount(app.db, currentUser(request).id, request.params.id, expectedVersion(request));
      return reply.code(204).send(null);
    },
  );
};

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  expectedVersion,
  IfMatchHeaders,
  IfNoneMatchHeaders,
  NotModified,
  notModified,
  setEtag,
} from '../../../core/etag.ts';
import { requestDb } from '../../../core/idempotency.ts';
import { NoContent, problemResponses } from '../../../core/schemas.ts';
import { currentUser } from '../../auth/index.ts';
import { FileObject } from '../../files/index.ts';
import { docs, IdParams } from '../schemas.ts';
import {
  AttachReceipt,
  CreateTransaction,
  ReceiptParams,
  Transaction,
  TransactionPage,
  TransactionQuery,
  UpdateTransaction,
} from './transaction-schemas.ts';
import * as service from './transaction-service.ts';

const Receipts = Type.Object({ items: Type.Array(FileObject) });

/** /api/expenses/transactions and their receipts. */
export const transactionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/transactions',
    {
      config: { idempotent: true },
      schema: {
        ...docs,
        summary: 'Record an expense, income or transfer (send an Idempotency-Key: a retry never records it twice)',
        body: CreateTransaction,
        response: { 201: Transaction, ...problemResponses(400, 401, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const db = requestDb(request, app.db);
      const transaction = await service.createTransaction(db, currentUser(request).id, request.body);
      setEtag(reply, transaction.version).header('location', `/api/expenses/transactions/${transaction.id}`);
      return reply.code(201).send(transaction);
    },
  );

  app.get(
    '/transactions',
    {
      schema: {
        ...docs,
        summary: 'Your transactions, newest first: filter by account, category, tag, payee, dates, amounts, text',
        querystring: TransactionQuery,
        response: { 200: TransactionPage, ...problemResponses(401, 422) },
      },
    },
    async (request) => service.listTransactions(app.db, currentUser(request).id, request.query),
  );

  app.get(
    '/transactions/:id',
    {
      schema: {
        ...docs,
        summary: 'A transaction with its split',
        params: IdParams,
        headers: IfNoneMatchHeaders,
        response: { 200: Transaction, 304: NotModified, ...problemResponses(401, 404, 422) },
      },
    },
    async (request, reply) => {
      const transaction = await service.getTransaction(app.db, currentUser(request).id, request.params.id);
      if (notModified(request, reply, transaction.version)) return reply;
      return setEtag(reply, transaction.version).send(transaction);
    },
  );

  app.patch(
    '/transactions/:id',
    {
      schema: {
        ...docs,
        summary: 'Change a transaction; send If-Match to avoid lost updates',
        params: IdParams,
        headers: IfMatchHeaders,
        body: UpdateTransaction,
        response: { 200: Transaction, ...problemResponses(400, 401, 404, 409, 412, 422) },
      },
    },
    async (request, reply) => {
      const { id } = currentUser(request);
      const transaction = await service.updateTransaction(
        app.db,
        id,
        request.params.id,
        request.body,
        expectedVersion(request),
      );
      return setEtag(reply, transaction.version).send(transaction);
    },
  );

  app.delete(
    '/transactions/:id',
    {
      schema: {
        ...docs,
        summary: 'Delete a transaction (its receipts are detached)',
        params: IdParams,
        headers: IfMatchHeaders,
        response: { 204: NoContent, ...problemResponses(401, 404, 409, 412, 422) },
      },
    },
    async (request, reply) => {
      await service.deleteTransaction(app.db, currentUser(request).id, request.params.id, expectedVersion(request));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/transactions/:id/receipts',
    {
      schema: {
        ...docs,
        summary: "A transaction's receipts (files)",
        params: IdParams,
        response: { 200: Receipts, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => service.listReceipts(app.db, currentUser(request).id, request.params.id),
  );

  app.post(
    '/transactions/:id/receipts',
    {
      schema: {
        ...docs,
        summary: 'Attach an uploaded file (purpose `receipt`) to a transaction',
        params: IdParams,
        body: AttachReceipt,
        response: { 200: Receipts, ...problemResponses(400, 401, 404, 409, 422) },
      },
    },
    async (request) => service.attachReceipt(app.db, currentUser(request).id, request.params.id, request.body.fileId),
  );

  app.delete(
    '/transactions/:id/receipts/:fileId',
    {
      schema: {
        ...docs,
        summary: 'Detach a receipt (the file itself stays yours)',
        params: ReceiptParams,
        response: { 204: NoContent, ...problemResponses(401, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { id, fileId } = request.params;
      await service.detachReceipt(app.db, currentUser(request).id, id, fileId);
      return reply.code(204).send(null);
    },
  );
};

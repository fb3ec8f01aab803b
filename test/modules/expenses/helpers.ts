import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { as, type TestUser } from '../../helpers/users.ts';

/** Terse set-up for the expenses tests: accounts, categories and transactions through HTTP. */

export { as, createUser, fieldsOf, type TestUser } from '../../helpers/users.ts';

export async function created(app: FastifyInstance, user: TestUser, url: string, body: unknown) {
  const res = await as(app, user)('POST', `/api/expenses${url}`, body);
  assert.equal(res.statusCode, 201, res.body);
  return res.json();
}

export async function account(app: FastifyInstance, user: TestUser, currency = 'EUR', extra: object = {}) {
  return created(app, user, '/accounts', {
    name: `Account ${Math.random().toString(36).slice(2, 8)}`,
    type: 'checking',
    currency,
    openingDate: '2026-01-01',
    ...extra,
  });
}

export async function category(app: FastifyInstance, user: TestUser, name: string, extra: object = {}) {
  return created(app, user, '/categories', { name, kind: 'expense', ...extra });
}

export async function expense(
  app: FastifyInstance,
  user: TestUser,
  accountId: string,
  amount: string,
  date: string,
  extra: object = {},
) {
  return created(app, user, '/transactions', { kind: 'expense', accountId, amount, date, ...extra });
}

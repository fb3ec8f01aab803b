import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../helpers/app.ts';
import { assertProblem } from '../helpers/problem.ts';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

const app = await buildTestApp();

const live = (headers: Record<string, string> = {}) => app.inject({ method: 'GET', url: '/health/live', headers });

test('a request without an id gets a fresh UUID in X-Request-Id', async () => {
  const [first, second] = await Promise.all([live(), live()]);
  assert.match(String(first?.headers['x-request-id']), UUID);
  assert.match(String(second?.headers['x-request-id']), UUID);
  assert.notEqual(first?.headers['x-request-id'], second?.headers['x-request-id']);
});

test('a sane incoming X-Request-Id is echoed, and used in problems', async () => {
  const id = 'edge-7f3a.19:abc_DEF';
  assert.equal((await live({ 'x-request-id': id })).headers['x-request-id'], id);
  const res = await app.inject({ method: 'GET', url: '/nowhere', headers: { 'x-request-id': id } });
  assert.equal(assertProblem(res, 404, 'ROUTE_NOT_FOUND').requestId, id);
});

test('an incoming X-Request-Id that is too long or not plain is replaced', async () => {
  for (const insane of ['x'.repeat(129), 'two words', 'line\tbreak', '<script>', 'a"b']) {
    const res = await live({ 'x-request-id': insane });
    assert.match(String(res.headers['x-request-id']), UUID, `kept ${JSON.stringify(insane)}`);
  }
  const longest = 'y'.repeat(128);
  assert.equal((await live({ 'x-request-id': longest })).headers['x-request-id'], longest);
});

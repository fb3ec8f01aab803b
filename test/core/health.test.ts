import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../helpers/app.ts';
import { assertProblem } from '../helpers/problem.ts';

const app = await buildTestApp();

test('GET /health/live answers 200 while the process is up', async () => {
  const res = await app.inject({ method: 'GET', url: '/health/live' });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(res.json(), { status: 'ok' });
});

test('GET /health/ready answers 200 when the database answers', async () => {
  const res = await app.inject({ method: 'GET', url: '/health/ready' });
  assert.equal(res.statusCode, 200);
  const expected = process.env.REDIS_URL ? { database: 'ok', redis: 'ok' } : { database: 'ok' };
  assert.deepEqual(res.json(), { status: 'ok', checks: expected });
});

test('GET /health/ready is a 503 problem naming the database when it is down; live stays 200', async () => {
  // Nothing listens on port 1: every connection attempt is refused.
  const down = await buildTestApp({ DATABASE_URL: 'postgres://postgres@127.0.0.1:1/down', MIGRATE_ON_START: 'false' });
  const res = await down.inject({ method: 'GET', url: '/health/ready' });
  const body = assertProblem(res, 503, 'NOT_READY');
  assert.equal(body.detail, 'Not ready: database unavailable');
  assert.equal(res.headers['retry-after'], '5');
  assert.equal((await down.inject({ method: 'GET', url: '/health/live' })).statusCode, 200);
});

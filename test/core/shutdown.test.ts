import assert from 'node:assert/strict';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { buildTestApp } from '../helpers/app.ts';
import { assertProblem } from '../helpers/problem.ts';

test('draining: readiness turns 503 first, open connections close after their next answer, then close() refuses new ones', async () => {
  const app = await buildTestApp();
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;
  assert.equal((await fetch(`${base}/health/ready`)).status, 200);

  const drained = app.drain(5_000);
  const ready = await app.inject({ method: 'GET', url: '/health/ready' });
  const body = assertProblem(ready, 503, 'NOT_READY');
  assert.equal(body.detail, 'Not ready: shutting down');
  await sleep(200);
  // The next request on the open keep-alive connection is answered, with `Connection: close`; that
  // ends the last connection, so draining ends long before its bound.
  const started = Date.now();
  const onOpenConnection = await fetch(`${base}/health/live`);
  assert.equal(onOpenConnection.status, 200);
  assert.equal(onOpenConnection.headers.get('connection'), 'close');
  await drained;
  assert.ok(Date.now() - started < 4_000);
  await app.close();
  await assert.rejects(fetch(`${base}/health/live`), 'a new connection was accepted after close');
});

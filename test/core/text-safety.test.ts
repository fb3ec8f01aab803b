import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { buildTestApp } from '../helpers/app.ts';
import { assertProblem } from '../helpers/problem.ts';
import { as, createUser } from '../helpers/users.ts';

const app = await buildTestApp();
const user = await createUser(app);
const call = as(app, user);

test('a NUL byte, invalid UTF-8 or a lone surrogate in a path parameter is a 400, on every kind of route', async () => {
  for (const bad of ['a%00', '%ED%A0%80', '%FF', 'x%C3']) {
    for (const [method, url] of [
      ['GET', `/api/profiles/${bad}`],
      ['DELETE', `/api/articles/${bad}`],
      ['DELETE', `/api/profiles/${bad}/follow`],
      ['GET', `/api/tasks/${bad}`],
      ['GET', `/api/no-such-route/${bad}`],
    ] as const) {
      const res = await call(method, url);
      assert.equal(res.statusCode, 400, `${method} ${url}: ${res.body}`);
    }
  }
  // Our own APIs answer a problem with a stable code; the RealWorld blog its own error shape.
  assertProblem(await call('GET', '/api/tasks/a%00'), 400, 'INVALID_TEXT');
  assert.deepEqual((await call('GET', '/api/profiles/a%00')).json(), {
    errors: { request: ['The path contains a NUL byte, invalid UTF-8 or an unpaired surrogate'] },
  });
});

test('the same in the query string and in header values', async () => {
  assertProblem(await call('GET', '/api/projects?cursor=%00'), 400, 'INVALID_TEXT');
  assertProblem(await call('GET', '/api/projects?q=%ED%B0%80'), 400, 'INVALID_TEXT');
  // Header bytes beyond ASCII that are not UTF-8 (inject passes the string through as latin1).
  assertProblem(await call('GET', '/api/projects', undefined, { 'x-note': 'caf\u00e9' }), 400, 'INVALID_TEXT');
  assert.equal((await call('GET', '/api/projects', undefined, { 'x-note': 'caf\u00c3\u00a9' })).statusCode, 200);
});

test('in a JSON body: escaped NUL and lone surrogates in values or keys, and raw bytes that are not UTF-8', async () => {
  for (const payload of [
    '{"name":"a\\u0000b"}',
    '{"name":"\\ud800"}',
    '{"name":"ok","description":"\\udc00x"}',
    '{"name":"ok","\\u0000":1}',
  ]) {
    const res = await call('POST', '/api/projects', payload, { 'content-type': 'application/json' });
    assertProblem(res, 400, 'INVALID_TEXT');
  }
  const invalidUtf8 = Buffer.concat([Buffer.from('{"name":"caf'), Buffer.from([0xe9]), Buffer.from('"}')]);
  assertProblem(
    await call('POST', '/api/projects', invalidUtf8, { 'content-type': 'application/json' }),
    400,
    'INVALID_TEXT',
  );
  // A valid pair (an emoji) and non-ASCII text pass.
  const ok = await call('POST', '/api/projects', { name: 'café 😀' });
  assert.equal(ok.statusCode, 201);
  assert.equal(ok.json().name, 'café 😀');
});

test('over a real socket too: a raw request line with %00 is a 400, not a 500', async () => {
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const status = await new Promise<number | undefined>((resolve, reject) => {
    request({ host: '127.0.0.1', port, path: '/api/profiles/a%00', method: 'GET' }, (res) => {
      res.resume();
      resolve(res.statusCode);
    })
      .on('error', reject)
      .end();
  });
  assert.equal(status, 400);
});

test('a number coerced to Infinity (`?limit=1e309`) is a 422 on its field, never SQL', async () => {
  const res = await call('GET', '/api/projects?limit=1e309');
  const body = assertProblem(res, 422, 'VALIDATION_FAILED');
  assert.deepEqual(body.errors, [{ field: 'query.limit', message: 'must be a finite number' }]);
  assert.equal((await call('GET', '/api/articles?offset=1e309')).statusCode, 422);
});

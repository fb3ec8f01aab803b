import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Type } from 'typebox';
import { AppError } from '../../src/core/errors.ts';
import { buildTestApp } from '../helpers/app.ts';
import { assertProblem } from '../helpers/problem.ts';

const SECRET = 'connection to db.internal failed for user admin with password hunter2';

const app = await buildTestApp(
  { BODY_LIMIT_BYTES: '1024' },
  {
    register(app) {
      app.post(
        '/test/items',
        {
          schema: {
            querystring: Type.Object({ dryRun: Type.Optional(Type.Boolean()) }),
            body: Type.Object({
              title: Type.String({ minLength: 1 }),
              count: Type.Integer({ minimum: 1 }),
            }),
          },
        },
        async (request, reply) => reply.code(201).send(request.body),
      );
      app.get('/test/boom', async () => {
        throw new Error(SECRET);
      });
      app.get('/test/conflict', async () => {
        throw new AppError(409, 'THING_EXISTS', 'A thing with this name exists', { headers: { 'x-thing': 'kept' } });
      });
    },
  },
);

const post = (payload: string, headers: Record<string, string> = { 'content-type': 'application/json' }) =>
  app.inject({ method: 'POST', url: '/test/items', payload, headers });

test('a valid request passes through (the test route works)', async () => {
  const res = await post(JSON.stringify({ title: 'one', count: 2 }));
  assert.equal(res.statusCode, 201);
  assert.deepEqual(res.json(), { title: 'one', count: 2 });
});

test('an unknown route is a 404 problem naming the method and path, without the query', async () => {
  const res = await app.inject({ method: 'GET', url: '/no/such/route?token=abc' });
  const body = assertProblem(res, 404, 'ROUTE_NOT_FOUND');
  assert.equal(body.title, 'Not Found');
  assert.equal(body.detail, 'No route for GET /no/such/route');
  assert.equal(body.instance, '/no/such/route');
});

test('malformed JSON is a 400 problem', async () => {
  const body = assertProblem(await post('{"title": "one", '), 400, 'MALFORMED_JSON');
  assert.equal(body.title, 'Bad Request');
  assert.equal(body.instance, '/test/items');
});

test('an empty JSON body is no body: the route needing one answers its 422', async () => {
  const body = assertProblem(await post(''), 422, 'VALIDATION_FAILED');
  assert.deepEqual(body.errors, [{ field: 'body', message: 'must be object' }]);
});

test('a schema violation is a 422 problem listing every invalid field', async () => {
  const res = await post(JSON.stringify({ title: '', count: 'many' }));
  const body = assertProblem(res, 422, 'VALIDATION_FAILED');
  assert.equal(body.title, 'Unprocessable Entity');
  assert.equal(body.detail, 'The request is invalid');
  assert.deepEqual(body.errors?.map((e) => e.field).sort(), ['body.count', 'body.title']);
  for (const error of body.errors ?? []) assert.ok(error.message.length > 0);
});

test('a missing required field is named in the 422 errors', async () => {
  const body = assertProblem(await post(JSON.stringify({ title: 'one' })), 422, 'VALIDATION_FAILED');
  assert.deepEqual(body.errors, [{ field: 'body.count', message: "must have required property 'count'" }]);
});

test('an invalid query parameter is reported under query., as our own checks name them', async () => {
  const res = await app.inject({
    method: 'POST',
    url: '/test/items?dryRun=perhaps',
    payload: { title: 'one', count: 1 },
  });
  const body = assertProblem(res, 422, 'VALIDATION_FAILED');
  assert.deepEqual(
    body.errors?.map((e) => e.field),
    ['query.dryRun'],
  );
});

test('a body of an unsupported content type is a 415 problem', async () => {
  const res = await post('title=one', { 'content-type': 'application/x-www-form-urlencoded' });
  const body = assertProblem(res, 415, 'UNSUPPORTED_MEDIA_TYPE');
  assert.equal(body.title, 'Unsupported Media Type');
});

test('a body over BODY_LIMIT_BYTES is a 413 problem', async () => {
  const res = await post(JSON.stringify({ title: 'x'.repeat(2048), count: 1 }));
  const body = assertProblem(res, 413, 'PAYLOAD_TOO_LARGE');
  assert.equal(body.title, 'Payload Too Large');
});

test('an unexpected error is a 500 problem that shows nothing of the error', async () => {
  const res = await app.inject({ method: 'GET', url: '/test/boom' });
  const body = assertProblem(res, 500, 'INTERNAL_ERROR');
  assert.equal(body.title, 'Internal Server Error');
  assert.equal(body.detail, 'An unexpected error occurred');
  assert.deepEqual(Object.keys(body).sort(), ['code', 'detail', 'instance', 'requestId', 'status', 'title', 'type']);
  assert.ok(!res.body.includes('hunter2'), 'the message leaked');
  assert.ok(!res.body.includes('errors.test.ts'), 'the stack leaked');
});

test('an AppError becomes a problem with its own status, code, message and headers', async () => {
  const res = await app.inject({ method: 'GET', url: '/test/conflict' });
  const body = assertProblem(res, 409, 'THING_EXISTS');
  assert.equal(body.detail, 'A thing with this name exists');
  assert.equal(res.headers['x-thing'], 'kept');
});

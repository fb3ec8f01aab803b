import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../helpers/app.ts';

/**
 * One authentication convention: every operation the OpenAPI document says needs credentials
 * authenticates in `onRequest`, before the body, query or params are validated. A request without
 * credentials is 401 even when everything else about it is wrong too.
 */

const app = await buildTestApp();

interface Operation {
  security?: Record<string, string[]>[];
  requestBody?: unknown;
}

test('every operation that declares a security requirement answers 401 to no credentials and an invalid request', async (t) => {
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as {
    paths: Record<string, Record<string, Operation>>;
  };
  const secured: string[] = [];
  const answers: string[] = [];
  for (const [path, operations] of Object.entries(doc.paths)) {
    for (const [method, operation] of Object.entries(operations)) {
      // `{}` among the alternatives would mean anonymous is allowed too.
      const required =
        (operation.security ?? []).length > 0 && !operation.security?.some((s) => !Object.keys(s).length);
      if (!required) continue;
      // Every path parameter malformed (`not-an-id` is no UUID, no slug the length check allows is
      // needed), a query that breaks any page schema, and a body that is no object at all.
      const url = `${path.replace(/\{[^}]+\}/g, 'not-an-id')}?limit=0&cursor=`;
      const withBody = operation.requestBody !== undefined;
      const res = await app.inject({
        method: method.toUpperCase() as 'GET',
        url,
        ...(withBody ? { headers: { 'content-type': 'application/json' }, payload: '42' } : {}),
      });
      secured.push(`${method.toUpperCase()} ${path}`);
      answers.push(`${method.toUpperCase()} ${path} → ${res.statusCode}`);
    }
  }
  // The walk covers every module that has protected routes.
  for (const prefix of ['/api/auth/', '/api/projects', '/api/tasks', '/api/articles', '/api/user']) {
    assert.ok(
      secured.some((operation) => operation.split(' ')[1]?.startsWith(prefix)),
      `no secured operation under ${prefix}`,
    );
  }
  t.diagnostic(`${secured.length} secured operations walked`);
  assert.ok(secured.length >= 40, `only ${secured.length} secured operations found`);
  assert.deepEqual(
    answers.filter((answer) => !answer.endsWith('→ 401')),
    [],
  );
});

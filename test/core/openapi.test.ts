import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../helpers/app.ts';

const app = await buildTestApp();

test('GET /openapi.json is an OpenAPI 3.1 document of the routes, with the shared Problem schema', async () => {
  const res = await app.inject({ method: 'GET', url: '/openapi.json' });
  assert.equal(res.statusCode, 200);
  assert.match(String(res.headers['content-type']), /^application\/json/);
  const doc = res.json();
  assert.equal(doc.openapi, '3.1.0');
  assert.equal(doc.info.title, 'Groundwork API');
  assert.ok(doc.paths['/health/ready']?.get, 'readiness is documented');
  assert.deepEqual(doc.paths['/health/ready'].get.responses['503'].content, {
    'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } },
  });
  assert.deepEqual(doc.components.schemas.Problem.required.sort(), [
    'code',
    'detail',
    'instance',
    'requestId',
    'status',
    'title',
    'type',
  ]);
  for (const hidden of ['/openapi.json', '/metrics', '/docs', '/docs/']) {
    assert.equal(doc.paths[hidden], undefined, `${hidden} is not part of the API`);
  }
});

test('/docs serves the interactive reference, with a CSP that lets its inline script run over http or https', async () => {
  const redirect = await app.inject({ method: 'GET', url: '/docs' });
  assert.ok([301, 302].includes(redirect.statusCode), `status ${redirect.statusCode}`);
  assert.equal(redirect.headers.location, '/docs/');
  const page = await app.inject({ method: 'GET', url: '/docs/' });
  assert.equal(page.statusCode, 200);
  assert.match(String(page.headers['content-type']), /^text\/html/);
  assert.match(page.body, /<script/);
  const csp = String(page.headers['content-security-policy']);
  assert.match(csp, /script-src 'self' 'unsafe-inline'/);
  // Over plain http off localhost, it would send the browser to https for the page's own script.
  assert.doesNotMatch(csp, /upgrade-insecure-requests/);
  assert.match(page.body, /<title>Groundwork API reference<\/title>/);
  const script = await app.inject({ method: 'GET', url: '/docs/js/scalar.js' });
  assert.equal(script.statusCode, 200);
});

test('the API itself keeps the strict CSP', async () => {
  const res = await app.inject({ method: 'GET', url: '/openapi.json' });
  const csp = String(res.headers['content-security-policy']);
  assert.match(csp, /script-src 'self'(;|$)/);
});

/** Every response of every operation: `[where, response]`. */
function responsesOf(doc: { paths: Record<string, Record<string, { responses: Record<string, unknown> }>> }) {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).flatMap(([method, operation]) =>
      Object.entries(operation.responses).map(
        ([status, response]) => [`${method} ${path} ${status}`, response] as const,
      ),
    ),
  );
}

/** A problem with extension members (RFC 9457 §3.2), e.g. a 412 that carries the current resource. */
function extendsProblem(schema: unknown): boolean {
  const properties = (schema as { properties?: Record<string, unknown> } | undefined)?.properties ?? {};
  return ['type', 'title', 'status', 'detail', 'code'].every((name) => name in properties);
}

test('problems are declared as application/problem+json, the type they are sent with, and only as that', async () => {
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
  let problems = 0;
  for (const [where, response] of responsesOf(doc)) {
    const content = (response as { content?: Record<string, { schema?: unknown }> }).content ?? {};
    for (const [type, { schema }] of Object.entries(content)) {
      const isProblem = JSON.stringify(schema) === '{"$ref":"#/components/schemas/Problem"}' || extendsProblem(schema);
      if (isProblem) problems += 1;
      assert.equal(isProblem, type === 'application/problem+json', `${where}: ${type}`);
    }
  }
  assert.ok(problems > 100, `only ${problems} problem responses`);

  const unauthenticated = await app.inject({ method: 'GET', url: '/api/auth/me' });
  assert.equal(unauthenticated.headers['content-type'], 'application/problem+json; charset=utf-8');
  assert.ok(doc.paths['/api/auth/me'].get.responses['401'].content['application/problem+json']);
});

test('the description names the groups the document has, no more, and says how to make a first call', async () => {
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
  const tags = new Set<string>();
  for (const item of Object.values(doc.paths) as Array<Record<string, { tags?: string[] }>>) {
    for (const operation of Object.values(item)) for (const tag of operation.tags ?? []) tags.add(tag);
  }
  tags.delete('health');
  const description: string = doc.info.description;
  const named = /^Groundwork's HTTP API: ([^.]+)\./.exec(description)?.[1]?.split(', ');
  assert.deepEqual(named?.sort(), [...tags].sort());
  assert.match(description, /POST \/api\/auth\/register/);
  assert.match(description, /Authorization: Bearer <token>/);
});

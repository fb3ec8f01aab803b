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
  assert.deepEqual(doc.paths['/health/ready'].get.responses['503'].content['application/json'].schema, {
    $ref: '#/components/schemas/Problem',
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

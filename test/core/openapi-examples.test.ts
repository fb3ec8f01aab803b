import assert from 'node:assert/strict';
import { test } from 'node:test';
import Schema from 'typebox/schema';
import { buildTestApp } from '../helpers/app.ts';
import { bearerUser } from '../modules/auth/support.ts';

/**
 * The reference at /docs shows a newcomer what to send and what comes back: the main operations of
 * each module carry a request example (when they take a body) and an example of their answer, every
 * example in the document fits its schema, and every request example passes its route's validation.
 */
const app = await buildTestApp();

const MAIN_OPERATIONS = [
  'post /api/auth/register',
  'post /api/auth/login',
  'post /api/auth/refresh',
  'get /api/auth/me',
  'patch /api/auth/me',
  'post /api/users',
  'post /api/users/login',
  'get /api/user',
  'put /api/user',
  'get /api/profiles/{username}',
  'get /api/articles',
  'post /api/articles',
  'get /api/articles/{slug}',
  'put /api/articles/{slug}',
  'get /api/articles/{slug}/comments',
  'post /api/articles/{slug}/comments',
  'get /api/tags',
  'post /api/projects',
  'get /api/projects',
  'post /api/projects/{projectId}/members',
  'post /api/projects/{projectId}/tasks',
  'get /api/tasks',
  'get /api/tasks/{taskId}',
  'patch /api/tasks/{taskId}',
  'post /api/tasks/{taskId}/comments',
];

interface Media {
  schema?: { $ref?: string };
  example?: unknown;
  examples?: Record<string, { value: unknown }>;
}
interface Operation {
  requestBody?: { content: Record<string, Media> };
  responses: Record<string, { content?: Record<string, Media> }>;
}
interface Document {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, { examples?: unknown[] }> };
}

const document = (await app.inject({ method: 'GET', url: '/openapi.json' })).json() as Document;
// typebox checks a schema against its `$ref`s by name: `#/components/schemas/User` → `User`.
const REF = '#/components/schemas/';
const byName = JSON.parse(JSON.stringify(document.components.schemas).replaceAll(REF, ''));

/** The examples of a media object: its own, else those of the component its schema refers to. */
function examplesOf(media: Media | undefined): unknown[] {
  if (!media) return [];
  if (media.example !== undefined) return [media.example];
  if (media.examples) return Object.values(media.examples).map((e) => e.value);
  const ref = media.schema?.$ref;
  return ref ? (document.components.schemas[ref.slice(REF.length)]?.examples ?? []) : [];
}

function checkedSchema(media: Media) {
  return JSON.parse(JSON.stringify(media.schema).replaceAll(REF, ''));
}

const operations = Object.entries(document.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, operation]) => ({ key: `${method} ${path}`, method, path, operation })),
);

test('the main operations of auth, blog and tasks show a request example and an answer', () => {
  for (const key of MAIN_OPERATIONS) {
    const found = operations.find((o) => o.key === key);
    assert.ok(found, `${key} is not in the document`);
    const { operation } = found;
    if (operation.requestBody) {
      assert.ok(examplesOf(operation.requestBody.content['application/json']).length, `${key}: no request example`);
    }
    const success = Object.entries(operation.responses).find(([status]) => /^2\d\d$/.test(status));
    assert.ok(success, `${key}: no success response`);
    assert.ok(examplesOf(success[1].content?.['application/json']).length, `${key} ${success[0]}: no example`);
  }
});

test('every example in the document fits its schema', () => {
  let count = 0;
  for (const { key, operation } of operations) {
    const medias = [
      ...Object.values(operation.requestBody?.content ?? {}).map((m) => ['request', m] as const),
      ...Object.entries(operation.responses).flatMap(([status, r]) =>
        Object.values(r.content ?? {}).map((m) => [status, m] as const),
      ),
    ];
    for (const [where, media] of medias) {
      for (const example of examplesOf(media)) {
        count += 1;
        assert.ok(Schema.Check(byName, checkedSchema(media), example), `${key} ${where}: ${JSON.stringify(example)}`);
      }
    }
  }
  assert.ok(count >= MAIN_OPERATIONS.length, `only ${count} examples`);
});

test('every request example passes its route’s validation', async () => {
  const { headers } = await bearerUser(app);
  for (const { key, method, path, operation } of operations) {
    for (const example of examplesOf(operation.requestBody?.content['application/json'])) {
      const res = await app.inject({
        method: method.toUpperCase() as 'POST',
        // Path parameters of nothing in particular: validation comes before the lookup.
        url: path.replaceAll(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000'),
        headers,
        payload: example as object,
      });
      assert.ok(![400, 415, 422].includes(res.statusCode), `${key}: ${res.statusCode} ${res.body}`);
    }
  }
});

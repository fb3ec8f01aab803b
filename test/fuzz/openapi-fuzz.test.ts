import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { InjectOptions } from 'fastify';
import { buildTestApp } from '../helpers/app.ts';
import { createUser } from '../helpers/users.ts';

// Every operation of the service's own OpenAPI document, called with generated input: malformed
// types, missing and extra fields, huge and hostile strings, bad ids, bad JSON, with and without
// credentials. The only assertion: no answer is a 5xx. Seeded, so a failure reproduces
// (FUZZ_SEED=<seed printed on failure>); FUZZ_RUNS raises the depth locally.
const SEED = Number(process.env.FUZZ_SEED ?? 20261201);
const RUNS = Number(process.env.FUZZ_RUNS ?? 20);

interface Parameter {
  name: string;
  in: 'path' | 'query' | 'header' | 'cookie';
  schema?: Schema;
}
interface Schema {
  type?: string | string[];
  properties?: Record<string, Schema>;
  items?: Schema;
  enum?: unknown[];
  format?: string;
}
interface Operation {
  parameters?: Parameter[];
  requestBody?: { content?: Record<string, { schema?: Schema }> };
}

const app = await buildTestApp();
const user = await createUser(app, 'fuzz');
const document = app.swagger() as { paths: Record<string, Record<string, Operation>> };

const hostile = fc.oneof(
  fc.string({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.constantFrom(
    '',
    ' ',
    '\u0000',
    'a\u0000b',
    '\ud800',
    '\udc00x',
    '😀',
    '../../etc/passwd',
    "' or 1=1 --",
    '%00',
    '%',
    '%E0%A4%A',
    '-1',
    '0',
    '1e309',
    'NaN',
    'null',
    'true',
    '[]',
    '{}',
    '00000000-0000-0000-0000-000000000000',
    'ffffffff-ffff-ffff-ffff-ffffffffffff',
    '9999-99-99T99:99:99Z',
    'x'.repeat(10_000),
  ),
);

/** Any JSON value at all, or one shaped like `schema` with some fields wrong, missing or extra. */
function value(schema: Schema | undefined, depth = 0): fc.Arbitrary<unknown> {
  const anything = fc.oneof(
    hostile,
    fc.integer(),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.array(hostile, { maxLength: 3 }),
  );
  if (!schema || depth > 3) return anything;
  const shaped: fc.Arbitrary<unknown>[] = [];
  if (schema.enum?.length) shaped.push(fc.constantFrom(...schema.enum));
  if (schema.properties) {
    const fields = Object.fromEntries(
      Object.entries(schema.properties).map(([key, property]) => [key, value(property, depth + 1)]),
    );
    shaped.push(
      fc
        .tuple(
          fc.record(fields, { requiredKeys: [] }),
          fc.dictionary(fc.string({ maxLength: 8 }), anything, { maxKeys: 2 }),
        )
        .map(([known, extra]) => ({ ...extra, ...known })),
    );
  }
  if (schema.items) shaped.push(fc.array(value(schema.items, depth + 1), { maxLength: 4 }));
  return shaped.length ? fc.oneof(anything, ...shaped) : anything;
}

/** Percent-encodes a path value; a lone surrogate (which has no UTF-8) goes as the bytes it would take in CESU-8. */
function pathSegment(raw: string): string {
  return raw
    .split(/([\ud800-\udfff])/)
    .map((part) =>
      /^[\ud800-\udfff]$/.test(part)
        ? Buffer.from([0xed, 0xa0 | ((part.charCodeAt(0) >> 6) & 0x1f), 0x80 | (part.charCodeAt(0) & 0x3f)])
            .toString('hex')
            .replace(/../g, '%$&')
        : encodeURIComponent(part),
    )
    .join('');
}

const asText = (raw: unknown) => (typeof raw === 'string' ? raw : (JSON.stringify(raw) ?? ''));

const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
  Object.entries(methods)
    .filter(([method]) => ['get', 'post', 'put', 'patch', 'delete'].includes(method))
    .map(([method, operation]) => ({ path, method: method.toUpperCase() as InjectOptions['method'], operation })),
);

test('the OpenAPI document has operations to fuzz', () => {
  assert.ok(operations.length > 40, `only ${operations.length} operations`);
});

test('no generated request to any operation is answered with a 5xx', { timeout: 240_000 }, async (t) => {
  let sent = 0;
  const statuses = new Map<number, number>();
  for (const { path, method, operation } of operations) {
    const parameters = operation.parameters ?? [];
    const bodySchema = operation.requestBody?.content?.['application/json']?.schema;
    const request = fc.record({
      params: fc.record(
        Object.fromEntries(
          parameters.filter((p) => p.in === 'path').map((p) => [p.name, fc.oneof(hostile, fc.uuid())]),
        ),
      ),
      query: fc.dictionary(
        fc.constantFrom(...parameters.filter((p) => p.in === 'query').map((p) => p.name), 'extra'),
        fc.oneof(hostile, value(undefined).map(asText)),
        { maxKeys: 4 },
      ),
      body: fc.oneof(
        value(bodySchema).map((raw) => JSON.stringify(raw) ?? 'null'),
        fc.constantFrom('{', '{"a":', '[1,]', 'nul', '"\\ud800"', '{"a":"\\u0000"}', '\u0000'),
      ),
      contentType: fc.constantFrom(
        'application/json',
        'application/json',
        'text/plain',
        'application/x-www-form-urlencoded',
      ),
      authenticated: fc.boolean(),
      idempotencyKey: fc.option(hostile, { nil: undefined }),
    });
    await fc.assert(
      fc.asyncProperty(request, async (input) => {
        const url = path.replace(/\{([^}]+)\}/g, (_, name: string) => pathSegment(String(input.params[name] ?? 'x')));
        const query = new URLSearchParams(
          Object.entries(input.query).map(([k, v]): [string, string] => [k, String(v)]),
        ).toString();
        const hasBody = method !== 'GET' && method !== 'DELETE';
        const res = await app.inject({
          method,
          url: query ? `${url}?${query}` : url,
          headers: {
            ...(input.authenticated ? { authorization: `Bearer ${user.token}` } : {}),
            ...(hasBody ? { 'content-type': input.contentType } : {}),
            ...(input.idempotencyKey !== undefined
              ? { 'idempotency-key': Buffer.from(input.idempotencyKey).toString('latin1') }
              : {}),
          },
          ...(hasBody ? { payload: input.body } : {}),
        });
        sent++;
        statuses.set(res.statusCode, (statuses.get(res.statusCode) ?? 0) + 1);
        assert.ok(res.statusCode < 500, `${method} ${path} → ${res.statusCode}: ${res.body.slice(0, 300)}`);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  }
  const fivexx = [...statuses].filter(([status]) => status >= 500).reduce((sum, [, n]) => sum + n, 0);
  t.diagnostic(
    `seed ${SEED}: ${operations.length} operations, ${sent} requests, 5xx ${fivexx}; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort((a, b) => a[0] - b[0])))}`,
  );
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { as, createUser, fieldsOf } from './helpers.ts';

const app: FastifyInstance = await buildTestApp();

describe('exchange rates', () => {
  test('enter, replace, list in pages, delete', async () => {
    const alice = await createUser(app);
    const call = as(app, alice);
    const put = (body: object) => call('POST', '/api/expenses/rates', { base: 'EUR', quote: 'USD', ...body });
    const first = await put({ date: '2026-01-01', rate: '1.10' });
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(first.json().rate, '1.1');
    await put({ date: '2026-01-01', rate: '1.12' });
    await put({ date: '2026-01-02', rate: '1.13' });
    await call('POST', '/api/expenses/rates', { base: 'GBP', quote: 'EUR', date: '2026-01-01', rate: '1.17' });
    const page = (await call('GET', '/api/expenses/rates?limit=2')).json();
    assert.deepEqual(
      page.items.map((r: { base: string; date: string; rate: string }) => [r.base, r.date, r.rate]),
      [
        ['EUR', '2026-01-01', '1.12'],
        ['EUR', '2026-01-02', '1.13'],
      ],
    );
    const rest = (await call('GET', `/api/expenses/rates?limit=2&cursor=${page.nextCursor}`)).json();
    assert.deepEqual(
      rest.items.map((r: { base: string }) => r.base),
      ['GBP'],
    );
    assert.equal((await call('GET', '/api/expenses/rates?base=GBP')).json().items.length, 1);
    assert.equal((await call('DELETE', '/api/expenses/rates/EUR/USD/2026-01-02')).statusCode, 204);
    assertProblem(await call('DELETE', '/api/expenses/rates/EUR/USD/2026-01-02'), 404, 'RATE_NOT_FOUND');
  });

  test('422: unknown currencies, a pair with itself, zero or malformed rates', async () => {
    const alice = await createUser(app);
    const call = as(app, alice);
    const put = (body: object) => call('POST', '/api/expenses/rates', { date: '2026-01-01', ...body });
    assert.deepEqual(fieldsOf(await put({ base: 'EUR', quote: 'EUR', rate: '1' })), ['body.quote']);
    assert.deepEqual(fieldsOf(await put({ base: 'ABC', quote: 'EUR', rate: '1' })), ['body.base']);
    assert.deepEqual(fieldsOf(await put({ base: 'USD', quote: 'EUR', rate: '0' })), ['body.rate']);
    assert.deepEqual(fieldsOf(await put({ base: 'USD', quote: 'EUR', rate: '-1' })), ['body.rate']);
    assert.deepEqual(fieldsOf(await put({ base: 'usd', quote: 'EUR', rate: '1', date: 'soon' })).sort(), [
      'body.base',
      'body.date',
    ]);
  });

  test('CSV import: all or nothing, errors name their line; re-import replaces', async () => {
    const alice = await createUser(app);
    const call = as(app, alice);
    const good = 'date,base,quote,rate\n2026-01-01,EUR,USD,1.1\n2026-01-02,EUR,USD,1.2\n';
    const res = await call('POST', '/api/expenses/rates/import', { csv: good });
    assert.equal(res.statusCode, 200, res.body);
    assert.deepEqual(res.json(), { imported: 2 });
    assert.deepEqual((await call('POST', '/api/expenses/rates/import', { csv: good })).json(), { imported: 2 });
    const bad = 'date,base,quote,rate\n2026-01-03,EUR,USD,1.3\n2026-01-04,EUR,QQQ,1.3\n2026-02-30,EUR,USD,abc\n';
    const problem = assertProblem(
      await call('POST', '/api/expenses/rates/import', { csv: bad }),
      422,
      'VALIDATION_FAILED',
    );
    assert.deepEqual(
      problem.errors?.map((e) => e.field),
      ['body.csv.line3.quote', 'body.csv.line4.rate', 'body.csv.line4.date'],
    );
    assert.equal((await call('GET', '/api/expenses/rates')).json().items.length, 2, 'nothing of the bad file');
  });

  test('401; rates are per user; an idempotent retry is replayed', async () => {
    const [alice, bob] = [await createUser(app), await createUser(app)];
    assertProblem(await as(app, null)('GET', '/api/expenses/rates'), 401, 'UNAUTHORIZED');
    const body = { base: 'EUR', quote: 'JPY', date: '2026-01-01', rate: '160.5' };
    const headers = { 'idempotency-key': 'rate-1' };
    const first = await as(app, alice)('POST', '/api/expenses/rates', body, headers);
    const again = await as(app, alice)('POST', '/api/expenses/rates', body, headers);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.deepEqual(again.json(), first.json());
    assert.deepEqual((await as(app, bob)('GET', '/api/expenses/rates')).json().items, []);
    assertProblem(await as(app, bob)('DELETE', '/api/expenses/rates/EUR/JPY/2026-01-01'), 404, 'RATE_NOT_FOUND');
  });
});

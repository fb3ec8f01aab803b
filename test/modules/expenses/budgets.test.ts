import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { account, as, category, created, createUser, expense, fieldsOf } from './helpers.ts';

const app: FastifyInstance = await buildTestApp();

type Period = { start: string; carriedIn: string; available: string; actual: string; remaining: string };
const summary = (periods: Period[]) => periods.map((p) => [p.start, p.carriedIn, p.available, p.actual, p.remaining]);

/** 100 EUR a month for food; spent 70 in January, 150 in February (50 over), 20 in March. */
async function foodBudget(rollover: string) {
  const alice = await createUser(app);
  const eur = await account(app, alice, 'EUR');
  const food = await category(app, alice, 'Food');
  const bakery = await category(app, alice, 'Bakery', { parentId: food.id });
  await expense(app, alice, eur.id, '70.00', '2026-01-15', { categoryId: food.id });
  await expense(app, alice, eur.id, '100.00', '2026-02-01', { categoryId: food.id });
  await expense(app, alice, eur.id, '50.00', '2026-02-28', { categoryId: bakery.id });
  await expense(app, alice, eur.id, '20.00', '2026-03-31', { categoryId: food.id });
  await expense(app, alice, eur.id, '999.00', '2026-02-10'); // uncategorised: not food
  const budget = await created(app, alice, '/budgets', {
    categoryId: food.id,
    amount: '100',
    currency: 'EUR',
    startDate: '2026-01-20',
    rollover,
  });
  const res = await as(app, alice)('GET', `/api/expenses/budgets/${budget.id}/periods?to=2026-03-05`);
  assert.equal(res.statusCode, 200, res.body);
  return { alice, budget, periods: res.json().periods as Period[], food };
}

describe('expense budgets', () => {
  test('rollover none: every month starts afresh', async () => {
    const { budget, periods } = await foodBudget('none');
    assert.equal(budget.startDate, '2026-01-01');
    assert.equal(budget.amount, '100.00');
    assert.deepEqual(summary(periods), [
      ['2026-01-01', '0.00', '100.00', '70.00', '30.00'],
      ['2026-02-01', '0.00', '100.00', '150.00', '-50.00'],
      ['2026-03-01', '0.00', '100.00', '20.00', '80.00'],
    ]);
  });

  test('rollover positive: unspent money carries, overspending does not', async () => {
    const { periods } = await foodBudget('positive');
    assert.deepEqual(summary(periods), [
      ['2026-01-01', '0.00', '100.00', '70.00', '30.00'],
      ['2026-02-01', '30.00', '130.00', '150.00', '-20.00'],
      ['2026-03-01', '0.00', '100.00', '20.00', '80.00'],
    ]);
  });

  test('rollover both: overspending carries into the next period as a negative', async () => {
    const { alice, budget, periods } = await foodBudget('both');
    assert.deepEqual(summary(periods), [
      ['2026-01-01', '0.00', '100.00', '70.00', '30.00'],
      ['2026-02-01', '30.00', '130.00', '150.00', '-20.00'],
      ['2026-03-01', '-20.00', '80.00', '20.00', '60.00'],
    ]);
    const march = (
      await as(app, alice)('GET', `/api/expenses/budgets/${budget.id}/periods?from=2026-03-01&to=2026-03-31`)
    ).json();
    assert.deepEqual(summary(march.periods), [['2026-03-01', '-20.00', '80.00', '20.00', '60.00']]);
  });

  test('the budget-vs-actual report sums the periods in the months, in a reporting currency, also as SVG', async () => {
    const { alice, food } = await foodBudget('both');
    const call = as(app, alice);
    const query = 'currency=EUR&from=2026-02-01&to=2026-03-31';
    const report = (await call('GET', `/api/expenses/reports/budget-vs-actual?${query}`)).json();
    assert.deepEqual(
      report.items.map((i: Record<string, string>) => [i.categoryId, i.name, i.budgeted, i.actual, i.remaining]),
      [[food.id, 'Food', '200.00', '170.00', '40.00']],
    );
    assert.equal(report.complete, true);
    const svg = await call('GET', `/api/expenses/reports/budget-vs-actual.svg?${query}`);
    assert.equal(svg.statusCode, 200);
    for (const name of ['Budget vs actual', 'Budgeted', 'Actual', 'Food'])
      assert.ok(svg.body.includes(`>${name}<`), name);
  });

  test('weekly and custom periods; a foreign currency converts, or says it could not', async () => {
    const alice = await createUser(app);
    const usd = await account(app, alice, 'USD');
    const fun = await category(app, alice, 'Fun');
    await expense(app, alice, usd.id, '10.00', '2026-01-05', { categoryId: fun.id });
    await expense(app, alice, usd.id, '30.00', '2026-01-12', { categoryId: fun.id });
    await created(app, alice, '/rates', { base: 'USD', quote: 'EUR', date: '2026-01-11', rate: '0.5' });
    const weekly = await created(app, alice, '/budgets', {
      categoryId: fun.id,
      amount: '20.00',
      currency: 'EUR',
      period: 'weekly',
      startDate: '2026-01-05',
      rollover: 'both',
    });
    const weeks = (await as(app, alice)('GET', `/api/expenses/budgets/${weekly.id}/periods?to=2026-01-18`)).json();
    assert.deepEqual(summary(weeks.periods), [
      ['2026-01-05', '0.00', '20.00', '5.00', '15.00'],
      ['2026-01-12', '15.00', '35.00', '15.00', '20.00'],
    ]);
    const trip = await created(app, alice, '/budgets', {
      categoryId: fun.id,
      amount: '5.00',
      currency: 'GBP',
      period: 'custom',
      startDate: '2026-01-01',
      endDate: '2026-01-31',
    });
    const custom = (await as(app, alice)('GET', `/api/expenses/budgets/${trip.id}/periods`)).json();
    assert.equal(custom.periods.length, 1);
    assert.equal(custom.periods[0].actual, null);
    assert.deepEqual(custom.missingRates, [{ from: 'USD', to: 'GBP', date: '2026-01-31' }]);
  });

  test('422 field errors, If-Match 412, another user 404, 401, idempotent create', async () => {
    const [alice, bob] = [await createUser(app), await createUser(app)];
    const call = as(app, alice);
    const food = await category(app, alice, 'Food');
    const post = (body: object) =>
      call('POST', '/api/expenses/budgets', { categoryId: food.id, currency: 'JPY', amount: '100', ...body });
    assert.deepEqual(fieldsOf(await post({ amount: '1.5' })), ['body.amount']);
    assert.deepEqual(fieldsOf(await post({ period: 'custom' })), ['body.endDate']);
    assert.deepEqual(fieldsOf(await post({ endDate: '2026-01-01' })), ['body.endDate']);
    assert.deepEqual(fieldsOf(await post({ rollover: 'sometimes', period: 'daily' })).sort(), [
      'body.period',
      'body.rollover',
    ]);
    const bobs = await category(app, bob, 'Bobs');
    assert.deepEqual(fieldsOf(await post({ categoryId: bobs.id })), ['body.categoryId']);
    const headers = { 'idempotency-key': 'budget-1' };
    const first = await call(
      'POST',
      '/api/expenses/budgets',
      { categoryId: food.id, amount: '5000', currency: 'JPY' },
      headers,
    );
    const again = await call(
      'POST',
      '/api/expenses/budgets',
      { categoryId: food.id, amount: '5000', currency: 'JPY' },
      headers,
    );
    assert.equal(again.json().id, first.json().id);
    const url = `/api/expenses/budgets/${first.json().id}`;
    assert.equal((await call('PATCH', url, { amount: '6000' }, { 'if-match': '"1"' })).json().amount, '6000');
    assertProblem(await call('PATCH', url, { amount: '7000' }, { 'if-match': '"1"' }), 412, 'PRECONDITION_FAILED');
    for (const [method, path] of [
      ['GET', url],
      ['GET', `${url}/periods`],
      ['DELETE', url],
    ] as const) {
      assertProblem(await as(app, bob)(method, path), 404, 'BUDGET_NOT_FOUND');
    }
    assertProblem(await as(app, null)('GET', '/api/expenses/budgets'), 401, 'UNAUTHORIZED');
    assert.equal((await call('GET', '/api/expenses/budgets')).json().items.length, 1);
    assert.equal((await call('DELETE', url, undefined, { 'if-match': '"2"' })).statusCode, 204);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { account, as, category, created, createUser, expense, fieldsOf } from './helpers.ts';

const app: FastifyInstance = await buildTestApp();

const REPORT = 'currency=EUR&from=2026-04-01&to=2026-04-30';

/** Alice spends 100 on groceries in April and gets 30 back from the shop; she earns 1000. */
async function refunded() {
  const alice = await createUser(app);
  const eur = await account(app, alice, 'EUR', { openingBalance: '0.00', openingDate: '2026-01-01' });
  const groceries = await category(app, alice, 'Groceries');
  const salary = await category(app, alice, 'Salary', { kind: 'income' });
  await expense(app, alice, eur.id, '100.00', '2026-04-03', { categoryId: groceries.id });
  const refund = await created(app, alice, '/transactions', {
    kind: 'income',
    accountId: eur.id,
    amount: '30.00',
    date: '2026-04-09',
    categoryId: groceries.id,
    note: 'Refund: returned a broken kettle',
  });
  await created(app, alice, '/transactions', {
    kind: 'income',
    accountId: eur.id,
    amount: '1000.00',
    date: '2026-04-01',
    categoryId: salary.id,
  });
  return { alice, eur, groceries, salary, refund };
}

describe('expense refunds', () => {
  test('money back on an expense category lowers its spending and is not income', async () => {
    const { alice, eur, groceries, salary } = await refunded();
    const call = as(app, alice);
    const spending = (await call('GET', `/api/expenses/reports/spending-by-category?${REPORT}`)).json();
    assert.deepEqual(spending.items, [
      { categoryId: groceries.id, name: 'Groceries', parentId: null, amount: '70.00' },
    ]);
    assert.equal(spending.total, '70.00');
    const flows = (await call('GET', `/api/expenses/reports/income-vs-expense?${REPORT}`)).json();
    assert.deepEqual(flows.months, [{ month: '2026-04', income: '1000.00', expense: '70.00', net: '930.00' }]);
    const cash = (await call('GET', `/api/expenses/reports/cash-flow?${REPORT}`)).json();
    assert.deepEqual(
      cash.months.map((m: { income: string; expense: string; net: string }) => [m.income, m.expense, m.net]),
      [['1000.00', '70.00', '930.00']],
    );
    const worth = (await call('GET', `/api/expenses/reports/net-worth?${REPORT}`)).json();
    assert.deepEqual(worth.months, [{ month: '2026-04', netWorth: '930.00' }]);
    const balance = (await call('GET', `/api/expenses/accounts/${eur.id}`)).json();
    assert.equal(balance.balance, '930.00');
    // Filtering the list by the category finds both the purchase and its refund.
    const listed = (await call('GET', `/api/expenses/transactions?categoryId=${groceries.id}`)).json();
    assert.deepEqual(
      listed.items.map((t: { kind: string; amount: string }) => [t.kind, t.amount]),
      [
        ['income', '30.00'],
        ['expense', '100.00'],
      ],
    );
    // Income on an income category is still income; salary is not spending.
    assert.ok(!spending.items.some((i: { categoryId: string }) => i.categoryId === salary.id));
  });

  test('budget vs actual counts the refund against the category, also from a subcategory', async () => {
    const { alice, eur, groceries } = await refunded();
    const call = as(app, alice);
    const bakery = await category(app, alice, 'Bakery', { parentId: groceries.id });
    await created(app, alice, '/transactions', {
      kind: 'income',
      accountId: eur.id,
      amount: '5.00',
      date: '2026-04-20',
      categoryId: bakery.id,
    });
    const budget = await created(app, alice, '/budgets', {
      categoryId: groceries.id,
      amount: '80',
      currency: 'EUR',
      startDate: '2026-04-01',
    });
    const res = await call('GET', `/api/expenses/budgets/${budget.id}/periods?from=2026-04-01&to=2026-04-30`);
    assert.equal(res.statusCode, 200, res.body);
    const [april] = res.json().periods;
    assert.deepEqual([april.start, april.actual, april.remaining], ['2026-04-01', '65.00', '15.00']);
    const report = (await call('GET', `/api/expenses/reports/budget-vs-actual?${REPORT}`)).json();
    assert.deepEqual(
      report.items.map((i: { name: string; budgeted: string; actual: string }) => [i.name, i.budgeted, i.actual]),
      [['Groceries', '80.00', '65.00']],
    );
  });

  test('a refund inside a split (a negative line) nets out; editing or deleting a refund keeps reports exact', async () => {
    const { alice, eur, groceries, refund } = await refunded();
    const call = as(app, alice);
    const household = await category(app, alice, 'Household');
    // One receipt: 60 of household goods, 20 back for returned bottles (a negative line).
    await expense(app, alice, eur.id, '40.00', '2026-04-15', {
      lines: [
        { amount: '60.00', categoryId: household.id },
        { amount: '-20.00', categoryId: groceries.id, memo: 'bottle deposit back' },
      ],
    });
    const spent = async () =>
      (await call('GET', `/api/expenses/reports/spending-by-category?${REPORT}`))
        .json()
        .items.map((i: { name: string; amount: string }) => [i.name, i.amount]);
    assert.deepEqual(await spent(), [
      ['Household', '60.00'],
      ['Groceries', '50.00'],
    ]);
    const edited = await call(
      'PATCH',
      `/api/expenses/transactions/${refund.id}`,
      { amount: '40.00' },
      { 'if-match': `"${refund.version}"` },
    );
    assert.equal(edited.statusCode, 200, edited.body);
    assert.deepEqual(await spent(), [
      ['Household', '60.00'],
      ['Groceries', '40.00'],
    ]);
    assert.equal((await call('DELETE', `/api/expenses/transactions/${refund.id}`)).statusCode, 204);
    assert.deepEqual(await spent(), [
      ['Groceries', '80.00'],
      ['Household', '60.00'],
    ]);
  });

  test("a refund on another user's category is refused with its field; 401 without a token", async () => {
    const { alice, eur } = await refunded();
    const bob = await createUser(app);
    const bobs = await category(app, bob, 'Groceries');
    const res = await as(app, alice)('POST', '/api/expenses/transactions', {
      kind: 'income',
      accountId: eur.id,
      amount: '30.00',
      date: '2026-04-09',
      categoryId: bobs.id,
    });
    const problem = assertProblem(res, 422, 'VALIDATION_FAILED');
    assert.deepEqual(problem.errors, [{ field: 'body.categoryId', message: 'is not one of your categories' }]);
    assert.deepEqual(fieldsOf(res), ['body.categoryId']);
    const anonymous = await as(app, null)('POST', '/api/expenses/transactions', {
      kind: 'income',
      accountId: eur.id,
      amount: '1',
      date: '2026-04-09',
    });
    assertProblem(anonymous, 401, 'UNAUTHORIZED');
  });
});

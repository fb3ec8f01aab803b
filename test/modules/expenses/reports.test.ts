import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { account, as, category, created, createUser, expense, fieldsOf } from './helpers.ts';

const app: FastifyInstance = await buildTestApp();

/** Alice: EUR and USD accounts, food and rent spending in January and February, a salary; one USD rate. */
async function household() {
  const alice = await createUser(app);
  const eur = await account(app, alice, 'EUR', { openingBalance: '1000.00', openingDate: '2025-12-01' });
  const usd = await account(app, alice, 'USD', { openingBalance: '100.00', openingDate: '2025-12-01' });
  const food = await category(app, alice, 'Food');
  const rent = await category(app, alice, 'Rent');
  const salary = await category(app, alice, 'Salary', { kind: 'income' });
  await expense(app, alice, eur.id, '10.10', '2026-01-05', { categoryId: food.id });
  await expense(app, alice, eur.id, '500.00', '2026-01-01', { categoryId: rent.id });
  await expense(app, alice, usd.id, '20.00', '2026-01-20', { categoryId: food.id });
  await expense(app, alice, usd.id, '30.00', '2026-02-10', { categoryId: food.id });
  await created(app, alice, '/transactions', {
    kind: 'income',
    accountId: eur.id,
    amount: '2000.00',
    date: '2026-02-01',
    categoryId: salary.id,
  });
  // EUR per USD at the end of January only: February's USD has no rate within the staleness bound.
  await created(app, alice, '/rates', { base: 'EUR', quote: 'USD', date: '2026-01-30', rate: '1.25' });
  return { alice, eur, usd, food, rent };
}

describe('expense reports', () => {
  test('spending by category converts exactly; a missing rate is listed and its totals are null, never 1', async () => {
    const { alice, food, rent } = await household();
    const call = as(app, alice);
    const january = (
      await call('GET', '/api/expenses/reports/spending-by-category?currency=EUR&from=2026-01-01&to=2026-01-31')
    ).json();
    assert.deepEqual(january.items, [
      { categoryId: rent.id, name: 'Rent', parentId: null, amount: '500.00' },
      { categoryId: food.id, name: 'Food', parentId: null, amount: '26.10' },
    ]);
    assert.equal(january.total, '526.10');
    assert.equal(january.complete, true);
    assert.deepEqual(january.ratesUsed, [
      { from: 'USD', to: 'EUR', date: '2026-01-31', rateDate: '2026-01-30', rate: '0.8' },
    ]);
    assert.deepEqual(january.missingRates, []);

    const both = (
      await call('GET', '/api/expenses/reports/spending-by-category?currency=EUR&from=2026-01-01&to=2026-02-28')
    ).json();
    assert.equal(both.complete, false);
    assert.equal(both.total, null);
    assert.deepEqual(both.missingRates, [{ from: 'USD', to: 'EUR', date: '2026-02-28' }]);
    assert.deepEqual(
      both.items.map((i: { name: string; amount: string | null }) => [i.name, i.amount]),
      [
        ['Rent', '500.00'],
        ['Food', null],
      ],
    );
  });

  test('income vs expense, cash flow and net worth by month', async () => {
    const { alice } = await household();
    const call = as(app, alice);
    await created(app, alice, '/rates', { base: 'EUR', quote: 'USD', date: '2026-02-27', rate: '1.5' });
    const query = 'currency=EUR&from=2026-01-01&to=2026-02-01';
    const flows = (await call('GET', `/api/expenses/reports/income-vs-expense?${query}`)).json();
    assert.deepEqual(flows.months, [
      { month: '2026-01', income: '0.00', expense: '526.10', net: '-526.10' },
      { month: '2026-02', income: '2000.00', expense: '20.00', net: '1980.00' },
    ]);
    const cash = (await call('GET', `/api/expenses/reports/cash-flow?${query}`)).json();
    assert.deepEqual(cash.months[1], {
      month: '2026-02',
      income: '2000.00',
      expense: '20.00',
      transfers: '0.00',
      net: '1980.00',
    });
    const worth = (
      await call('GET', `/api/expenses/reports/net-worth?currency=EUR&from=2025-12-01&to=2026-02-01`)
    ).json();
    // December: 1000 EUR + 100 USD, and no USD rate that old: incomplete, not a guess. February: 2489.90 EUR + 50 USD at 1/1.5.
    assert.deepEqual(worth.months, [
      { month: '2025-12', netWorth: null },
      { month: '2026-01', netWorth: '553.90' },
      { month: '2026-02', netWorth: '2523.23' },
    ]);
    assert.deepEqual(worth.missingRates, [{ from: 'USD', to: 'EUR', date: '2025-12-31' }]);
  });

  test('net worth starts from the history before its months and leaves out what comes after', async () => {
    const { alice, eur } = await household();
    const call = as(app, alice);
    await created(app, alice, '/rates', { base: 'EUR', quote: 'USD', date: '2026-02-27', rate: '1.5' });
    const worth = async (month: string) =>
      (await call('GET', `/api/expenses/reports/net-worth?currency=EUR&from=${month}&to=${month}`)).json().months;
    const late = await expense(app, alice, eur.id, '40.00', '2026-01-15');
    // One month at a time: January without February's salary after it, February with January before it.
    assert.deepEqual(await worth('2026-01-01'), [{ month: '2026-01', netWorth: '513.90' }]);
    assert.deepEqual(await worth('2026-02-01'), [{ month: '2026-02', netWorth: '2483.23' }]);

    // Moved past both windows, then deleted: each month's worth and the balance follow at once.
    const url = `/api/expenses/transactions/${late.id}`;
    const moved = await call('PATCH', url, { date: '2026-03-03' }, { 'if-match': '"1"' });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.deepEqual(await worth('2026-01-01'), [{ month: '2026-01', netWorth: '553.90' }]);
    assert.deepEqual(await worth('2026-02-01'), [{ month: '2026-02', netWorth: '2523.23' }]);
    assert.equal((await call('GET', `/api/expenses/accounts/${eur.id}`)).json().balance, '2449.90');
    assert.equal((await call('DELETE', url, undefined, { 'if-match': '"2"' })).statusCode, 204);
    assert.deepEqual(await worth('2026-02-01'), [{ month: '2026-02', netWorth: '2523.23' }]);
    assert.equal((await call('GET', `/api/expenses/accounts/${eur.id}`)).json().balance, '2489.90');
  });

  test('charts: SVG by suffix or Accept, well-formed, titled, naming their series', async () => {
    const { alice } = await household();
    const call = as(app, alice);
    const query = 'currency=EUR&from=2026-01-01&to=2026-01-31';
    for (const [res, names] of [
      [
        await call('GET', `/api/expenses/reports/income-vs-expense.svg?${query}`),
        ['Income', 'Expense', 'Income vs expense'],
      ],
      [
        await call('GET', `/api/expenses/reports/spending-by-category?${query}`, undefined, {
          accept: 'image/svg+xml',
        }),
        ['Spending by category', 'Food', 'Rent', 'Spent'],
      ],
      [await call('GET', `/api/expenses/reports/net-worth.svg?${query}`), ['Net worth over time', 'Net worth']],
      [await call('GET', `/api/expenses/reports/cash-flow.svg?${query}`), ['Money in', 'Money out', 'Net cash flow']],
    ] as const) {
      assert.equal(res.statusCode, 200, res.body);
      assert.match(String(res.headers['content-type']), /^image\/svg\+xml/);
      assert.equal(XMLValidator.validate(res.body), true);
      const svg = new XMLParser({ ignoreAttributes: false }).parse(res.body).svg;
      assert.ok(svg, 'an <svg> root');
      const texts = [...res.body.matchAll(/<text[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
      for (const name of names) assert.ok(texts.includes(name), `${name} is named in ${texts.join(', ')}`);
    }
    const json = await call('GET', `/api/expenses/reports/income-vs-expense?${query}`);
    assert.match(String(json.headers['content-type']), /^application\/json/);
  });

  test('422 for a bad currency or period; 401; another user sees only their own data', async () => {
    const { alice } = await household();
    const bob = await createUser(app);
    const call = as(app, alice);
    assert.deepEqual(fieldsOf(await call('GET', '/api/expenses/reports/net-worth?currency=XXY')), ['query.currency']);
    assert.deepEqual(fieldsOf(await call('GET', '/api/expenses/reports/net-worth')), ['query.currency']);
    assert.deepEqual(
      fieldsOf(await call('GET', '/api/expenses/reports/net-worth?currency=EUR&from=2026-05-01&to=2026-01-01')),
      ['query.from'],
    );
    assert.deepEqual(
      fieldsOf(await call('GET', '/api/expenses/reports/net-worth?currency=EUR&from=2000-01-01&to=2026-01-01')),
      ['query.from'],
    );
    assertProblem(await as(app, null)('GET', '/api/expenses/reports/net-worth.svg?currency=EUR'), 401, 'UNAUTHORIZED');
    const theirs = (
      await as(app, bob)('GET', '/api/expenses/reports/spending-by-category?currency=EUR&from=2026-01-01&to=2026-02-28')
    ).json();
    assert.deepEqual([theirs.items, theirs.total], [[], '0.00']);
  });
});

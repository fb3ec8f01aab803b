import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { account, as, category, created, createUser, fieldsOf } from './helpers.ts';

const app: FastifyInstance = await buildTestApp();

// Categories and payees named in the file, in any case; "Parent: Child" for a subcategory.
const CSV = [
  'Date,Text,Amount,Category,Payee',
  '2026-05-02,Weekly shop,-80.00,groceries,rewe',
  '2026-05-03,Bread,-4.20,Food: Bakery,Bäcker Klein',
  '2026-05-04,Rolls,-2.10,Bakery,',
  '2026-05-05,Paint,-25.00,Hobbies,BÄCKER KLEIN',
  '2026-05-06,Bottle deposit back,15.00,Groceries,REWE',
  '2026-05-07,Pay,2000.00,Salary,ACME Ltd',
  '2026-05-08,Broken,lots,Groceries,Nobody',
  '2026-05-09,Salary back,-10.00,Salary,',
].join('\n');

async function household() {
  const alice = await createUser(app);
  const eur = await account(app, alice, 'EUR', { openingBalance: '0.00' });
  const groceries = await category(app, alice, 'Groceries');
  const food = await category(app, alice, 'Food');
  const bakery = await category(app, alice, 'Bakery', { parentId: food.id });
  const salary = await category(app, alice, 'Salary', { kind: 'income' });
  const rewe = await created(app, alice, '/payees', { name: 'REWE' });
  return { alice, eur, groceries, food, bakery, salary, rewe };
}

type Row = { line: number; status: string; category: string | null; categoryId: string | null; payeeId: string | null };

describe('CSV import: categories and payees', () => {
  test('preview resolves categories by name or "Parent: Child" and payees in any case; lists unknown categories and new payees', async () => {
    const { alice, eur, groceries, bakery, salary, rewe } = await household();
    const res = await as(app, alice)('POST', '/api/expenses/imports/preview', { accountId: eur.id, csv: CSV });
    assert.equal(res.statusCode, 200, res.body);
    const preview = res.json();
    assert.deepEqual(preview.mapping, {
      date: 'Date',
      amount: 'Amount',
      description: 'Text',
      category: 'Category',
      payee: 'Payee',
    });
    assert.deepEqual(
      preview.rows.map((r: Row) => [r.line, r.status, r.categoryId, r.payeeId]),
      [
        [2, 'new', groceries.id, rewe.id],
        [3, 'new', bakery.id, null],
        [4, 'new', bakery.id, null],
        [5, 'new', null, null],
        [6, 'new', groceries.id, rewe.id],
        [7, 'new', salary.id, null],
        [8, 'invalid', groceries.id, null],
        [9, 'new', null, null],
      ],
    );
    // Money out on an income category is not taken: reported with the unknown ones.
    assert.deepEqual(preview.unknownCategories, [
      { name: 'Hobbies', lines: [5] },
      { name: 'Salary', lines: [9] },
    ]);
    assert.deepEqual(preview.newPayees, ['Bäcker Klein', 'ACME Ltd'], 'one payee per name whatever its case');
    assert.deepEqual(preview.rows[6].errors, [
      { field: 'line 8.amount', message: '"lots" in Amount is not an amount' },
    ]);
  });

  test('commit categorises lines, creates new payees once, leaves unknown categories uncategorised; overrides win', async () => {
    const { alice, eur, groceries, bakery, salary, rewe, food } = await household();
    const call = as(app, alice);
    const res = await call('POST', '/api/expenses/imports', {
      accountId: eur.id,
      csv: CSV,
      overrides: [
        { line: 4, categoryId: food.id },
        { line: 7, payeeId: null },
      ],
    });
    assert.equal(res.statusCode, 201, res.body);
    const result = res.json();
    assert.equal(result.batch.rowCount, 7);
    assert.deepEqual(result.uncategorised, [
      { name: 'Hobbies', lines: [5] },
      { name: 'Salary', lines: [9] },
    ]);
    const payees = (await call('GET', '/api/expenses/payees')).json().items;
    assert.deepEqual(
      payees.map((p: { name: string }) => p.name),
      ['REWE', 'Bäcker Klein'],
      'ACME Ltd was overridden away; Bäcker Klein made once',
    );
    const klein = payees[1].id;
    const listed = (await call('GET', `/api/expenses/transactions?accountId=${eur.id}&limit=20`)).json().items;
    const byNote = new Map(
      listed.map((t: { note: string; kind: string; payeeId: string; lines: Array<{ categoryId: string }> }) => [
        t.note,
        [t.kind, t.lines[0]?.categoryId, t.payeeId],
      ]),
    );
    assert.deepEqual(Object.fromEntries(byNote), {
      'Weekly shop': ['expense', groceries.id, rewe.id],
      Bread: ['expense', bakery.id, klein],
      Rolls: ['expense', food.id, null],
      Paint: ['expense', null, klein],
      'Bottle deposit back': ['income', groceries.id, rewe.id],
      Pay: ['income', salary.id, null],
      'Salary back': ['expense', null, null],
    });
    // The money back on groceries is a refund: it lowers their spending (80 - 15).
    const spending = (
      await call('GET', '/api/expenses/reports/spending-by-category?currency=EUR&from=2026-05-01&to=2026-05-31')
    ).json();
    assert.deepEqual(
      spending.items.map((i: { name: string; amount: string }) => [i.name, i.amount]),
      [
        ['Groceries', '65.00'],
        ['Uncategorised', '35.00'],
        ['Bakery', '4.20'],
        ['Food', '2.10'],
      ],
    );
    // Re-importing adds nothing, not even the payee the override kept out.
    const again = (await call('POST', '/api/expenses/imports', { accountId: eur.id, csv: CSV })).json();
    assert.deepEqual([again.batch.rowCount, again.uncategorised], [0, []]);
    assert.equal((await call('GET', '/api/expenses/payees')).json().items.length, 2);
  });

  test("overrides: 422 with their field paths for unknown lines and another user's category or payee", async () => {
    const { alice, eur, salary } = await household();
    const bob = await createUser(app);
    const bobsCategory = await category(app, bob, 'Groceries');
    const bobsPayee = await created(app, bob, '/payees', { name: 'REWE' });
    const res = await as(app, alice)('POST', '/api/expenses/imports', {
      accountId: eur.id,
      csv: CSV,
      lines: [2, 99],
      overrides: [
        { line: 2, categoryId: bobsCategory.id },
        { line: 3, payeeId: bobsPayee.id },
        { line: 100 },
        { line: 4, categoryId: salary.id },
      ],
    });
    const problem = assertProblem(res, 422, 'VALIDATION_FAILED');
    assert.deepEqual(problem.errors, [
      { field: 'body.lines', message: 'are not rows of the file: 99' },
      { field: 'body.overrides.0.categoryId', message: 'is not one of your categories' },
      { field: 'body.overrides.1.payeeId', message: 'is not one of your payees' },
      { field: 'body.overrides.2.line', message: 'is not a row of the file' },
      { field: 'body.overrides.3.categoryId', message: 'is an income category; the line is money out' },
    ]);
    assert.equal((await as(app, alice)('GET', '/api/expenses/payees')).json().items.length, 1, 'nothing was made');
    const bad = await as(app, alice)('POST', '/api/expenses/imports', {
      accountId: eur.id,
      csv: CSV,
      overrides: [{ line: 2, categoryId: 'nope' }],
    });
    assert.deepEqual([...new Set(fieldsOf(bad))], ['body.overrides.0.categoryId']);
    const wrongColumn = await as(app, alice)('POST', '/api/expenses/imports/preview', {
      accountId: eur.id,
      csv: CSV,
      mapping: { category: 'Kategorie' },
    });
    assert.deepEqual(fieldsOf(wrongColumn), ['body.mapping.category']);
  });
});

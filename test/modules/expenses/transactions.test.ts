import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { account, as, category, created, createUser, expense, fieldsOf } from './helpers.ts';

const app: FastifyInstance = await buildTestApp();
const balanceOf = async (call: ReturnType<typeof as>, id: string) =>
  (await call('GET', `/api/expenses/accounts/${id}`)).json().balance;

describe('expense transactions', () => {
  test('a split expense: lines add up exactly, the balance follows every change, If-Match guards edits', async () => {
    const alice = await createUser(app);
    const call = as(app, alice);
    const eur = await account(app, alice, 'EUR', { openingBalance: '100.00' });
    const food = await category(app, alice, 'Food');
    const home = await category(app, alice, 'Home');
    const tag = await created(app, alice, '/tags', { name: 'weekly' });
    const payee = await created(app, alice, '/payees', { name: 'Market' });
    const res = await call('POST', '/api/expenses/transactions', {
      kind: 'expense',
      accountId: eur.id,
      date: '2026-03-14',
      amount: '42.5',
      payeeId: payee.id,
      note: 'Weekly shop',
      lines: [
        { amount: '30.10', categoryId: food.id, tagIds: [tag.id], memo: 'food' },
        { amount: '12.40', categoryId: home.id },
      ],
    });
    assert.equal(res.statusCode, 201, res.body);
    const tx = res.json();
    assert.equal(res.headers.etag, '"1"');
    assert.equal(tx.amount, '42.50');
    assert.equal(tx.currency, 'EUR');
    assert.deepEqual(
      tx.lines.map((l: { amount: string; categoryId: string; tagIds: string[]; memo: string }) => [
        l.amount,
        l.categoryId,
        l.tagIds,
        l.memo,
      ]),
      [
        ['30.10', food.id, [tag.id], 'food'],
        ['12.40', home.id, [], ''],
      ],
    );
    assert.equal(await balanceOf(call, eur.id), '57.50');

    const url = `/api/expenses/transactions/${tx.id}`;
    assertProblem(await call('PATCH', url, { amount: '50.00' }), 422, 'VALIDATION_FAILED');
    const changed = await call('PATCH', url, { amount: '0.30', categoryId: food.id }, { 'if-match': '"1"' });
    assert.equal(changed.statusCode, 200, changed.body);
    assert.equal(changed.headers.etag, '"2"');
    assert.deepEqual(
      changed.json().lines.map((l: { amount: string }) => l.amount),
      ['0.30'],
    );
    assert.equal(await balanceOf(call, eur.id), '99.70');
    assertProblem(await call('PATCH', url, { note: 'stale' }, { 'if-match': '"1"' }), 412, 'PRECONDITION_FAILED');
    assertProblem(await call('DELETE', url, undefined, { 'if-match': '"1"' }), 412, 'PRECONDITION_FAILED');
    assert.equal((await call('GET', url, undefined, { 'if-none-match': '"2"' })).statusCode, 304);
    assert.equal((await call('DELETE', url, undefined, { 'if-match': '"2"' })).statusCode, 204);
    assert.equal(await balanceOf(call, eur.id), '100.00');
    assertProblem(await call('GET', url), 404, 'TRANSACTION_NOT_FOUND');
  });

  test('splits that do not add up, precision per currency (JPY 0, EUR 2, BHD 3), foreign references: 422', async () => {
    const [alice, bob] = [await createUser(app), await createUser(app)];
    const call = as(app, alice);
    const eur = await account(app, alice, 'EUR');
    const jpy = await account(app, alice, 'JPY');
    const bhd = await account(app, alice, 'BHD');
    const salary = await category(app, alice, 'Salary', { kind: 'income' });
    const bobs = await category(app, bob, 'Bobs');
    const post = (body: object) =>
      call('POST', '/api/expenses/transactions', { kind: 'expense', date: '2026-01-05', ...body });

    const split = await post({ accountId: eur.id, amount: '10.00', lines: [{ amount: '3.33' }, { amount: '6.66' }] });
    const problem = assertProblem(split, 422, 'VALIDATION_FAILED');
    assert.deepEqual(problem.errors, [{ field: 'body.lines', message: 'add up to 9.99, not the total 10.00' }]);
    assert.deepEqual(fieldsOf(await post({ accountId: jpy.id, amount: '100.5' })), ['body.amount']);
    assert.equal((await post({ accountId: jpy.id, amount: '100' })).json().amount, '100');
    assert.deepEqual(fieldsOf(await post({ accountId: eur.id, amount: '1.001' })), ['body.amount']);
    assert.deepEqual(fieldsOf(await post({ accountId: bhd.id, amount: '1.0005' })), ['body.amount']);
    const dinars = await post({
      accountId: bhd.id,
      amount: '1.005',
      lines: [{ amount: '0.001' }, { amount: '1.004' }],
    });
    assert.equal(dinars.statusCode, 201, dinars.body);
    assert.equal(dinars.json().amount, '1.005');
    assert.equal(await balanceOf(call, bhd.id), '-1.005');
    assert.deepEqual(fieldsOf(await post({ accountId: bhd.id, amount: '1.000', lines: [{ amount: '0.0001' }] })), [
      'body.lines.0.amount',
    ]);
    assert.deepEqual(fieldsOf(await post({ accountId: eur.id, amount: '0' })), ['body.amount']);
    assert.deepEqual(fieldsOf(await post({ accountId: eur.id, amount: '5', categoryId: salary.id })), [
      'body.categoryId',
    ]);
    assert.deepEqual(fieldsOf(await post({ accountId: eur.id, amount: '5', categoryId: bobs.id })), [
      'body.categoryId',
    ]);
    const bobsAccount = await account(app, bob);
    assert.deepEqual(fieldsOf(await post({ accountId: bobsAccount.id, amount: '5' })), ['body.accountId']);
    assert.deepEqual(fieldsOf(await post({ accountId: eur.id, amount: '5', toAccountId: jpy.id })), [
      'body.toAccountId',
    ]);
    const bad = await call('POST', '/api/expenses/transactions', { kind: 'gift', date: '2026-02-30', amount: 'ten' });
    assert.deepEqual(fieldsOf(bad).sort(), ['body.accountId', 'body.amount', 'body.date', 'body.kind']);
  });

  test('transfers: within a currency, across currencies with both amounts, never to a foreign account', async () => {
    const [alice, bob] = [await createUser(app), await createUser(app)];
    const call = as(app, alice);
    const eur = await account(app, alice, 'EUR', { openingBalance: '1000.00' });
    const eur2 = await account(app, alice, 'EUR');
    const jpy = await account(app, alice, 'JPY');
    const transfer = (body: object) =>
      call('POST', '/api/expenses/transactions', { kind: 'transfer', accountId: eur.id, date: '2026-02-01', ...body });
    const same = await transfer({ amount: '100.00', toAccountId: eur2.id });
    assert.equal(same.statusCode, 201, same.body);
    assert.deepEqual(same.json().transfer, { toAccountId: eur2.id, toAmount: '100.00', toCurrency: 'EUR' });
    assert.deepEqual(fieldsOf(await transfer({ amount: '100.00', toAccountId: eur2.id, toAmount: '99.00' })), [
      'body.toAmount',
    ]);
    assert.deepEqual(fieldsOf(await transfer({ amount: '100.00', toAccountId: jpy.id })), ['body.toAmount']);
    assert.deepEqual(fieldsOf(await transfer({ amount: '100.00', toAccountId: jpy.id, toAmount: '16000.5' })), [
      'body.toAmount',
    ]);
    const cross = await transfer({ amount: '100.00', toAccountId: jpy.id, toAmount: '16234' });
    assert.equal(cross.statusCode, 201, cross.body);
    assert.deepEqual(cross.json().transfer, { toAccountId: jpy.id, toAmount: '16234', toCurrency: 'JPY' });
    assert.equal(await balanceOf(call, eur.id), '800.00');
    assert.equal(await balanceOf(call, eur2.id), '100.00');
    assert.equal(await balanceOf(call, jpy.id), '16234');
    assert.deepEqual(fieldsOf(await transfer({ amount: '1.00', toAccountId: eur.id })), ['body.toAccountId']);
    assert.deepEqual(fieldsOf(await transfer({ amount: '1.00' })), ['body.toAccountId']);
    const foreign = await account(app, bob, 'EUR');
    assert.deepEqual(fieldsOf(await transfer({ amount: '1.00', toAccountId: foreign.id })), ['body.toAccountId']);

    // The target account lists the transfer too, and its balance at a date counts it from that date.
    const list = (await call('GET', `/api/expenses/transactions?accountId=${jpy.id}`)).json();
    assert.deepEqual(
      list.items.map((t: { id: string }) => t.id),
      [cross.json().id],
    );
    const at = (date: string) => call('GET', `/api/expenses/accounts/${jpy.id}/balance?at=${date}`);
    assert.equal((await at('2026-01-31')).json().balance, '0');
    assert.equal((await at('2026-02-01')).json().balance, '16234');
  });

  test('balance at a date: exact across months, opening balance from its date', async () => {
    const alice = await createUser(app);
    const call = as(app, alice);
    const eur = await account(app, alice, 'EUR', { openingBalance: '10.00', openingDate: '2026-01-01' });
    await expense(app, alice, eur.id, '0.10', '2026-01-15');
    await expense(app, alice, eur.id, '0.20', '2026-02-10');
    await created(app, alice, '/transactions', {
      kind: 'income',
      accountId: eur.id,
      amount: '0.05',
      date: '2026-02-20',
    });
    const at = async (date: string) =>
      (await call('GET', `/api/expenses/accounts/${eur.id}/balance?at=${date}`)).json().balance;
    assert.deepEqual(
      [
        await at('2025-12-31'),
        await at('2026-01-14'),
        await at('2026-01-15'),
        await at('2026-02-19'),
        await at('2026-03-01'),
      ],
      ['0.00', '10.00', '9.90', '9.70', '9.75'],
    );
    assert.equal(await balanceOf(call, eur.id), '9.75');
  });

  test('filters and keyset pages', async () => {
    const alice = await createUser(app);
    const call = as(app, alice);
    const eur = await account(app, alice, 'EUR');
    const other = await account(app, alice, 'EUR');
    const food = await category(app, alice, 'Food');
    const bakery = await category(app, alice, 'Bakery', { parentId: food.id });
    const tag = await created(app, alice, '/tags', { name: 'holiday' });
    const payee = await created(app, alice, '/payees', { name: 'Cafe' });
    const a = await expense(app, alice, eur.id, '3.50', '2026-01-02', {
      categoryId: bakery.id,
      note: 'croissant and coffee',
    });
    const b = await expense(app, alice, eur.id, '80.00', '2026-01-10', { tagIds: [tag.id], payeeId: payee.id });
    const c = await expense(app, alice, other.id, '12.00', '2026-02-01', { categoryId: food.id });
    const d = await created(app, alice, '/transactions', {
      kind: 'income',
      accountId: eur.id,
      amount: '5.00',
      date: '2026-02-03',
    });
    const ids = async (query: string) =>
      (await call('GET', `/api/expenses/transactions?${query}`)).json().items.map((t: { id: string }) => t.id);
    assert.deepEqual(await ids(''), [d.id, c.id, b.id, a.id]);
    assert.deepEqual(await ids(`accountId=${eur.id}`), [d.id, b.id, a.id]);
    assert.deepEqual(await ids(`categoryId=${food.id}`), [c.id, a.id]);
    assert.deepEqual(await ids(`categoryId=${bakery.id}`), [a.id]);
    assert.deepEqual(await ids(`tagId=${tag.id}`), [b.id]);
    assert.deepEqual(await ids(`payeeId=${payee.id}`), [b.id]);
    assert.deepEqual(await ids('from=2026-01-05&to=2026-02-01'), [c.id, b.id]);
    assert.deepEqual(await ids('minAmount=5&maxAmount=12'), [d.id, c.id]);
    assert.deepEqual(await ids('q=coffee'), [a.id]);
    assert.deepEqual(await ids('kind=income'), [d.id]);
    assertProblem(await call('GET', '/api/expenses/transactions?minAmount=9&maxAmount=1'), 422, 'VALIDATION_FAILED');

    const seen: string[] = [];
    let cursor = '';
    do {
      const page = (await call('GET', `/api/expenses/transactions?limit=3${cursor ? `&cursor=${cursor}` : ''}`)).json();
      seen.push(...page.items.map((t: { id: string }) => t.id));
      cursor = page.nextCursor ?? '';
    } while (cursor);
    assert.deepEqual(seen, [d.id, c.id, b.id, a.id]);
    const first = (await call('GET', '/api/expenses/transactions?limit=1')).json();
    assertProblem(
      await call('GET', `/api/expenses/transactions?limit=1&kind=income&cursor=${first.nextCursor}`),
      422,
      'VALIDATION_FAILED',
    );
  });

  test('401; another user sees 404; an idempotent retry records one transaction', async () => {
    const [alice, bob] = [await createUser(app), await createUser(app)];
    const eur = await account(app, alice, 'EUR');
    assertProblem(await as(app, null)('GET', '/api/expenses/transactions'), 401, 'UNAUTHORIZED');
    const body = { kind: 'expense', accountId: eur.id, amount: '9.99', date: '2026-03-01' };
    const headers = { 'idempotency-key': 'coffee-1' };
    const first = await as(app, alice)('POST', '/api/expenses/transactions', body, headers);
    const again = await as(app, alice)('POST', '/api/expenses/transactions', body, headers);
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.json().id, first.json().id);
    assert.equal(await balanceOf(as(app, alice), eur.id), '-9.99');
    const url = `/api/expenses/transactions/${first.json().id}`;
    assertProblem(await as(app, bob)('GET', url), 404, 'TRANSACTION_NOT_FOUND');
    assertProblem(await as(app, bob)('PATCH', url, { note: 'x' }), 404, 'TRANSACTION_NOT_FOUND');
    assertProblem(await as(app, bob)('DELETE', url), 404, 'TRANSACTION_NOT_FOUND');
    assertProblem(await as(app, bob)('GET', `${url}/receipts`), 404, 'TRANSACTION_NOT_FOUND');
    assert.deepEqual((await as(app, bob)('GET', '/api/expenses/transactions')).json().items, []);
  });
});

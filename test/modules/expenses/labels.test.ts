import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { account, as, category, created, createUser, expense, fieldsOf } from './helpers.ts';

const app: FastifyInstance = await buildTestApp();

describe('expense categories, tags and payees', () => {
  test('categories nest one level within a kind; in use means 409; If-Match guards edits', async () => {
    const alice = await createUser(app);
    const call = as(app, alice);
    const food = await category(app, alice, 'Food');
    const bakery = await category(app, alice, 'Bakery', { parentId: food.id });
    assert.equal(bakery.parentId, food.id);
    const salary = await category(app, alice, 'Salary', { kind: 'income' });
    const post = (body: object) => call('POST', '/api/expenses/categories', { kind: 'expense', ...body });
    assert.deepEqual(fieldsOf(await post({ name: 'Bread', parentId: bakery.id })), ['body.parentId']);
    assert.deepEqual(fieldsOf(await post({ name: 'Bonus', parentId: salary.id })), ['body.parentId']);
    assert.deepEqual(fieldsOf(await post({ name: '', kind: 'gift' })).sort(), ['body.kind', 'body.name']);
    assertProblem(await post({ name: 'food' }), 409, 'NAME_TAKEN');
    assert.equal((await post({ name: 'Bakery' })).statusCode, 201, 'the same name elsewhere in the tree');

    const url = `/api/expenses/categories/${food.id}`;
    assert.deepEqual(fieldsOf(await call('PATCH', url, { parentId: salary.id })), ['body.parentId']);
    const renamed = await call('PATCH', url, { name: 'Groceries' }, { 'if-match': '"1"' });
    assert.equal(renamed.json().name, 'Groceries');
    assertProblem(await call('PATCH', url, { name: 'x' }, { 'if-match': '"1"' }), 412, 'PRECONDITION_FAILED');
    assertProblem(await call('DELETE', url), 409, 'CATEGORY_IN_USE');
    const eur = await account(app, alice);
    await expense(app, alice, eur.id, '1.00', '2026-01-01', { categoryId: bakery.id });
    assertProblem(await call('DELETE', `/api/expenses/categories/${bakery.id}`), 409, 'CATEGORY_IN_USE');
    assert.equal((await call('DELETE', `/api/expenses/categories/${salary.id}`)).statusCode, 204);
    const incomes = (await call('GET', '/api/expenses/categories?kind=income')).json();
    assert.deepEqual(incomes.items, []);
    assert.equal((await call('GET', '/api/expenses/categories')).json().items.length, 3);
  });

  test('payees merge: every transaction moves, the merged payee is gone', async () => {
    const alice = await createUser(app);
    const call = as(app, alice);
    const eur = await account(app, alice);
    const a = await created(app, alice, '/payees', { name: 'ACME Corp' });
    const b = await created(app, alice, '/payees', { name: 'Acme' });
    for (const day of ['01', '02', '03'])
      await expense(app, alice, eur.id, '1.00', `2026-01-${day}`, { payeeId: a.id });
    assertProblem(await call('POST', '/api/expenses/payees', { name: 'acme' }), 409, 'NAME_TAKEN');
    assert.deepEqual(fieldsOf(await call('POST', `/api/expenses/payees/${a.id}/merge`, { intoId: a.id })), [
      'body.intoId',
    ]);
    const merged = await call('POST', `/api/expenses/payees/${a.id}/merge`, { intoId: b.id });
    assert.equal(merged.statusCode, 200, merged.body);
    assert.deepEqual(merged.json(), { payee: b, moved: 3 });
    assertProblem(await call('GET', `/api/expenses/payees/${a.id}`), 404, 'PAYEE_NOT_FOUND');
    const list = (await call('GET', `/api/expenses/transactions?payeeId=${b.id}`)).json();
    assert.equal(list.items.length, 3);
    assert.deepEqual((await call('GET', '/api/expenses/payees?q=ac')).json().items, [b]);
  });

  test('tags: create, rename, list, delete; 401; another user 404', async () => {
    const [alice, bob] = [await createUser(app), await createUser(app)];
    const call = as(app, alice);
    const tag = await created(app, alice, '/tags', { name: 'trip' });
    const renamed = await call('PATCH', `/api/expenses/tags/${tag.id}`, { name: 'holiday' });
    assert.equal(renamed.json().name, 'holiday');
    assert.deepEqual(fieldsOf(await call('POST', '/api/expenses/tags', { name: '' })), ['body.name']);
    assertProblem(await as(app, null)('GET', '/api/expenses/tags'), 401, 'UNAUTHORIZED');
    for (const [method, url] of [
      ['GET', `/api/expenses/tags/${tag.id}`],
      ['DELETE', `/api/expenses/tags/${tag.id}`],
    ] as const) {
      assertProblem(await as(app, bob)(method, url), 404, 'TAG_NOT_FOUND');
    }
    assertProblem(await as(app, bob)('PATCH', `/api/expenses/tags/${tag.id}`, { name: 'x' }), 404, 'TAG_NOT_FOUND');
    const cat = await category(app, alice, 'Travel');
    assertProblem(await as(app, bob)('GET', `/api/expenses/categories/${cat.id}`), 404, 'CATEGORY_NOT_FOUND');
    assertProblem(
      await as(app, bob)('POST', `/api/expenses/payees/${tag.id}/merge`, { intoId: tag.id }),
      404,
      'PAYEE_NOT_FOUND',
    );
    assert.equal((await call('DELETE', `/api/expenses/tags/${tag.id}`)).statusCode, 204);
    const headers = { 'idempotency-key': 'tag-1' };
    const first = await call('POST', '/api/expenses/tags', { name: 'again' }, headers);
    const replay = await call('POST', '/api/expenses/tags', { name: 'again' }, headers);
    assert.equal(replay.json().id, first.json().id);
    assert.equal(replay.headers['idempotent-replayed'], 'true');
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { account, as, createUser, fieldsOf } from './helpers.ts';

const app: FastifyInstance = await buildTestApp();

describe('expense accounts', () => {
  test('open, read, list, rename with If-Match, archive, delete', async () => {
    const alice = await createUser(app);
    const call = as(app, alice);
    const res = await call('POST', '/api/expenses/accounts', {
      name: 'Wallet',
      type: 'cash',
      currency: 'JPY',
      openingBalance: '1200',
      openingDate: '2026-01-01',
    });
    assert.equal(res.statusCode, 201, res.body);
    const wallet = res.json();
    assert.equal(res.headers.etag, '"1"');
    assert.equal(res.headers.location, `/api/expenses/accounts/${wallet.id}`);
    assert.deepEqual(
      { ...wallet, id: undefined, createdAt: undefined, updatedAt: undefined },
      {
        id: undefined,
        name: 'Wallet',
        type: 'cash',
        currency: 'JPY',
        openingBalance: '1200',
        openingDate: '2026-01-01',
        archived: false,
        balance: '1200',
        version: 1,
        createdAt: undefined,
        updatedAt: undefined,
      },
    );
    const bhd = await account(app, alice, 'BHD', { openingBalance: '10.125' });
    assert.equal(bhd.balance, '10.125');
    const eur = await account(app, alice, 'EUR', { openingBalance: '5.5' });
    assert.equal(eur.openingBalance, '5.50');

    const list = (await call('GET', '/api/expenses/accounts?limit=2')).json();
    assert.deepEqual(
      list.items.map((a: { id: string }) => a.id),
      [wallet.id, bhd.id],
    );
    const rest = (await call('GET', `/api/expenses/accounts?limit=2&cursor=${list.nextCursor}`)).json();
    assert.deepEqual(
      rest.items.map((a: { id: string }) => a.id),
      [eur.id],
    );
    assert.equal(rest.nextCursor, null);

    const url = `/api/expenses/accounts/${wallet.id}`;
    assert.equal((await call('GET', url, undefined, { 'if-none-match': '"1"' })).statusCode, 304);
    const renamed = await call('PATCH', url, { name: 'Purse' }, { 'if-match': '"1"' });
    assert.equal(renamed.statusCode, 200, renamed.body);
    assert.equal(renamed.json().name, 'Purse');
    assert.equal(renamed.headers.etag, '"2"');
    assertProblem(await call('PATCH', url, { name: 'Stale' }, { 'if-match': '"1"' }), 412, 'PRECONDITION_FAILED');
    const archived = await call('PATCH', url, { archived: true });
    assert.equal(archived.json().archived, true);
    const archivedList = (await call('GET', '/api/expenses/accounts?archived=true')).json();
    assert.deepEqual(
      archivedList.items.map((a: { id: string }) => a.id),
      [wallet.id],
    );
    assertProblem(await call('DELETE', url, undefined, { 'if-match': '"1"' }), 412, 'PRECONDITION_FAILED');
    assert.equal((await call('DELETE', url)).statusCode, 204);
    assertProblem(await call('GET', url), 404, 'ACCOUNT_NOT_FOUND');
  });

  test('precision per currency, unknown currencies and bad fields are 422; names are unique', async () => {
    const alice = await createUser(app);
    const call = as(app, alice);
    const post = (body: object) =>
      call('POST', '/api/expenses/accounts', { name: 'X', type: 'cash', currency: 'EUR', ...body });
    for (const [currency, openingBalance] of [
      ['JPY', '1.5'],
      ['EUR', '1.234'],
      ['BHD', '1.2345'],
    ]) {
      const res = await post({ currency, openingBalance });
      assert.deepEqual(fieldsOf(res), ['body.openingBalance'], `${currency} ${openingBalance}`);
    }
    assert.equal((await post({ currency: 'JPY', openingBalance: '1.000' })).json().openingBalance, '1');
    assert.deepEqual(fieldsOf(await post({ currency: 'XYZ' })), ['body.currency']);
    // A JSON number is read as its decimal text (the app-wide Ajv coercion); a float's noise never fits the pattern.
    assert.deepEqual(fieldsOf(await post({ openingBalance: 0.1 + 0.2 })), ['body.openingBalance']);
    const bad = await call('POST', '/api/expenses/accounts', { name: '', type: 'piggy', currency: 'eur' });
    assert.deepEqual(fieldsOf(bad).sort(), ['body.currency', 'body.name', 'body.type']);
    assertProblem(await post({ name: 'x', currency: 'USD' }), 409, 'NAME_TAKEN');
  });

  test('401 without a user; another user gets 404; idempotent retry opens one account', async () => {
    const [alice, bob] = [await createUser(app), await createUser(app)];
    assertProblem(await as(app, null)('GET', '/api/expenses/accounts'), 401, 'UNAUTHORIZED');
    const mine = await account(app, alice);
    const url = `/api/expenses/accounts/${mine.id}`;
    assertProblem(await as(app, bob)('GET', url), 404, 'ACCOUNT_NOT_FOUND');
    assertProblem(await as(app, bob)('PATCH', url, { name: 'Mine' }), 404, 'ACCOUNT_NOT_FOUND');
    assertProblem(await as(app, bob)('DELETE', url), 404, 'ACCOUNT_NOT_FOUND');
    assertProblem(await as(app, bob)('GET', `${url}/balance?at=2026-01-01`), 404, 'ACCOUNT_NOT_FOUND');
    const body = { name: 'Savings', type: 'savings', currency: 'EUR' };
    const headers = { 'idempotency-key': 'open-savings' };
    const first = await as(app, alice)('POST', '/api/expenses/accounts', body, headers);
    const again = await as(app, alice)('POST', '/api/expenses/accounts', body, headers);
    assert.equal(first.statusCode, 201);
    assert.equal(again.headers['idempotent-replayed'], 'true');
    assert.equal(again.json().id, first.json().id);
  });
});

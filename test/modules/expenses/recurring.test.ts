import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { DateTime } from 'luxon';
import { recurringJob } from '../../../src/modules/expenses/recurring/recurring-job.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { account, as, created, createUser, fieldsOf } from './helpers.ts';

const app: FastifyInstance = await buildTestApp();
const day = (offset: number) => DateTime.utc().plus({ days: offset }).toISODate() as string;

async function runAsOf(today?: string) {
  await app.jobs.enqueue(app.db, recurringJob, today ? { today } : {});
  await app.jobs.idle();
}

describe('recurring transactions', () => {
  test('a week of downtime is caught up, every occurrence once; a crashed run or a rerun never doubles one', async () => {
    const alice = await createUser(app);
    const call = as(app, alice);
    const eur = await account(app, alice, 'EUR', { openingDate: day(-30) });
    const rule = await created(app, alice, '/recurring', {
      name: 'Coffee',
      accountId: eur.id,
      kind: 'expense',
      amount: '2.50',
      startDate: day(-7),
      rule: { frequency: 'daily' },
    });
    await app.jobs.idle();
    const dates = async () =>
      (await call('GET', `/api/expenses/transactions?accountId=${eur.id}&limit=100`))
        .json()
        .items.map((t: { occurrenceDate: string }) => t.occurrenceDate);
    const week = Array.from({ length: 8 }, (_, i) => day(-i));
    assert.deepEqual(await dates(), week);
    assert.equal((await call('GET', `/api/expenses/recurring/${rule.id}`)).json().nextDate, day(1));

    // A run that died after inserting but before moving the rule on: the next run repeats the walk.
    await app.db
      .updateTable('expense_recurring')
      .set({ next_date: day(-7), made: 0 })
      .where('id', '=', rule.id)
      .execute();
    await runAsOf();
    await runAsOf();
    assert.deepEqual(await dates(), week);
    assert.equal((await call('GET', `/api/expenses/accounts/${eur.id}`)).json().balance, '-20.00');

    // Three more days pass while the server is down.
    await runAsOf(day(3));
    await runAsOf(day(3));
    assert.deepEqual(await dates(), [day(3), day(2), day(1), ...week]);
    const after = (await call('GET', `/api/expenses/recurring/${rule.id}`)).json();
    assert.deepEqual([after.nextDate, after.made], [day(4), 11]);
  });

  test('count and until end a rule; monthly on the 31st keeps to month ends; upcoming lists what is next', async () => {
    const alice = await createUser(app);
    const call = as(app, alice);
    const eur = await account(app, alice, 'EUR');
    const rent = await created(app, alice, '/recurring', {
      name: 'Rent',
      accountId: eur.id,
      kind: 'expense',
      amount: '900.00',
      startDate: '2027-01-31',
      rule: { frequency: 'monthly', count: 3 },
    });
    assert.deepEqual(rent.rule, { frequency: 'monthly', interval: 1, monthDay: 31, count: 3 });
    const upcoming = (await call('GET', '/api/expenses/recurring/upcoming?until=2027-12-31')).json();
    assert.deepEqual(
      upcoming.items.map((i: { date: string; amount: string }) => [i.date, i.amount]),
      [
        ['2027-01-31', '900.00'],
        ['2027-02-28', '900.00'],
        ['2027-03-31', '900.00'],
      ],
    );
    await runAsOf('2027-12-31');
    const made = (await call('GET', `/api/expenses/recurring/${rent.id}`)).json();
    assert.deepEqual([made.made, made.nextDate], [3, null]);
    assert.deepEqual((await call('GET', '/api/expenses/recurring/upcoming?until=2028-12-31')).json().items, []);
  });

  test('an expected amount range flags a bill outside it', async () => {
    const alice = await createUser(app);
    const call = as(app, alice);
    const eur = await account(app, alice, 'EUR', { openingDate: day(-30) });
    await created(app, alice, '/recurring', {
      name: 'Electricity',
      accountId: eur.id,
      kind: 'expense',
      amount: '60.00',
      startDate: day(0),
      rule: { frequency: 'monthly' },
      expectedMin: '40.00',
      expectedMax: '90.00',
    });
    await app.jobs.idle();
    const [bill] = (await call('GET', `/api/expenses/transactions?accountId=${eur.id}`)).json().items;
    assert.equal(bill.outOfRange, false);
    const high = await call('PATCH', `/api/expenses/transactions/${bill.id}`, { amount: '120.00' });
    assert.equal(high.json().outOfRange, true);
  });

  test('422 field errors, If-Match 412, another user 404, 401, idempotent create', async () => {
    const [alice, bob] = [await createUser(app), await createUser(app)];
    const call = as(app, alice);
    const jpy = await account(app, alice, 'JPY');
    const post = (body: object) =>
      call('POST', '/api/expenses/recurring', {
        name: 'Gym',
        accountId: jpy.id,
        kind: 'expense',
        amount: '5000',
        startDate: '2027-01-01',
        rule: { frequency: 'monthly' },
        ...body,
      });
    assert.deepEqual(fieldsOf(await post({ amount: '5000.5' })), ['body.amount']);
    assert.deepEqual(fieldsOf(await post({ rule: { frequency: 'daily', weekdays: ['mo'] } })), ['body.rule.weekdays']);
    assert.deepEqual(fieldsOf(await post({ rule: { frequency: 'monthly', until: '2026-01-01' } })), [
      'body.rule.until',
    ]);
    assert.deepEqual(fieldsOf(await post({ expectedMin: '10', expectedMax: '5' })), ['body.expectedMin']);
    assert.deepEqual(fieldsOf(await post({ rule: { frequency: 'hourly' } })), ['body.rule.frequency']);
    const headers = { 'idempotency-key': 'gym-1' };
    const first = await post({}).then(() => call('POST', '/api/expenses/recurring', gym(jpy.id), headers));
    const again = await call('POST', '/api/expenses/recurring', gym(jpy.id), headers);
    assert.equal(first.statusCode, 201, first.body);
    assert.equal(again.json().id, first.json().id);
    const url = `/api/expenses/recurring/${first.json().id}`;
    assert.equal((await call('PATCH', url, { amount: '6000' }, { 'if-match': '"1"' })).json().amount, '6000');
    assertProblem(await call('PATCH', url, { name: 'x' }, { 'if-match': '"1"' }), 412, 'PRECONDITION_FAILED');
    for (const [method, path] of [
      ['GET', url],
      ['DELETE', url],
    ] as const) {
      assertProblem(await as(app, bob)(method, path), 404, 'RECURRING_NOT_FOUND');
    }
    assertProblem(await as(app, bob)('PATCH', url, { name: 'x' }), 404, 'RECURRING_NOT_FOUND');
    assertProblem(await as(app, null)('GET', '/api/expenses/recurring'), 401, 'UNAUTHORIZED');
    assert.equal((await call('GET', '/api/expenses/recurring')).json().items.length, 2);
    assert.equal((await call('DELETE', url)).statusCode, 204);
  });
});

function gym(accountId: string) {
  return {
    name: 'Gym',
    accountId,
    kind: 'expense',
    amount: '7000',
    startDate: '2027-02-01',
    rule: { frequency: 'monthly' },
  };
}

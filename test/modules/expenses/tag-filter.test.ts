import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { account, as, category, created, createUser, expense, type TestUser } from './helpers.ts';

/**
 * The tag filter reads a copy of each transaction's tags and date (kept by triggers): after every
 * kind of write it must list exactly the transactions whose lines carry the tag, newest first.
 */

const app: FastifyInstance = await buildTestApp();

/** Every page of the tag's list, `limit` at a time, as `note` values in list order. */
async function tagged(user: TestUser, tagId: string, extra = '', limit = 2) {
  const notes: string[] = [];
  let cursor: string | null = null;
  do {
    const query: string = `tagId=${tagId}&limit=${limit}${extra}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const res = await as(app, user)('GET', `/api/expenses/transactions?${query}`);
    assert.equal(res.statusCode, 200, res.body);
    const page: { items: Array<{ note: string }>; nextCursor: string | null } = res.json();
    notes.push(...page.items.map((item) => item.note));
    cursor = page.nextCursor;
  } while (cursor);
  return notes;
}

describe('expense transactions filtered by tag', () => {
  test('stays exact through creates, date and tag edits, deletes, tag deletion and an import undo', async () => {
    const [alice, bob] = [await createUser(app), await createUser(app)];
    const call = as(app, alice);
    const eur = await account(app, alice, 'EUR');
    const food = await category(app, alice, 'Food');
    const [trip, work] = [
      await created(app, alice, '/tags', { name: 'trip' }),
      await created(app, alice, '/tags', { name: 'work' }),
    ];
    const split = (tags: [string[], string[]]) => [
      { amount: '6.00', categoryId: food.id, tagIds: tags[0] },
      { amount: '4.00', categoryId: food.id, tagIds: tags[1] },
    ];
    const one = await expense(app, alice, eur.id, '10.00', '2026-03-01', {
      note: 'one',
      lines: split([[trip.id], [work.id]]),
    });
    await expense(app, alice, eur.id, '5.00', '2026-03-05', { note: 'two', tagIds: [trip.id] });
    // The tag on both lines: the transaction is listed once.
    const three = await expense(app, alice, eur.id, '10.00', '2026-03-03', {
      note: 'three',
      lines: split([[trip.id], [trip.id, work.id]]),
    });
    await expense(app, alice, eur.id, '7.00', '2026-03-04', { note: 'untagged' });
    assert.deepEqual(await tagged(alice, trip.id), ['two', 'three', 'one']);
    assert.deepEqual(await tagged(alice, trip.id, '', 1), ['two', 'three', 'one'], 'one per page, none twice');
    assert.deepEqual(await tagged(alice, work.id), ['three', 'one']);
    assert.deepEqual(await tagged(alice, trip.id, '&from=2026-03-02&to=2026-03-04'), ['three']);
    assert.deepEqual(await tagged(bob, trip.id), [], "another user's tag lists nothing");

    // A new date moves the transaction in the tag's list (and in its date range).
    const moved = await call('PATCH', `/api/expenses/transactions/${one.id}`, { date: '2026-03-10' });
    assert.equal(moved.statusCode, 200, moved.body);
    assert.deepEqual(await tagged(alice, trip.id), ['one', 'two', 'three']);
    assert.deepEqual(await tagged(alice, work.id, '&to=2026-03-09'), ['three']);

    // The tag off one of two lines: still tagged; off both: gone from it, on the other tag still.
    const url = `/api/expenses/transactions/${three.id}`;
    const half = await call('PATCH', url, { lines: split([[], [trip.id]]) });
    assert.equal(half.statusCode, 200, half.body);
    assert.deepEqual(await tagged(alice, trip.id), ['one', 'two', 'three']);
    const off = await call('PATCH', url, { lines: split([[work.id], []]) });
    assert.equal(off.statusCode, 200, off.body);
    assert.deepEqual(await tagged(alice, trip.id), ['one', 'two']);
    assert.deepEqual(await tagged(alice, work.id), ['one', 'three']);
    // A single-line edit that sets the tags.
    const back = await call('PATCH', url, { categoryId: food.id, tagIds: [trip.id] });
    assert.equal(back.statusCode, 200, back.body);
    assert.deepEqual(await tagged(alice, trip.id), ['one', 'two', 'three']);
    assert.deepEqual(await tagged(alice, work.id), ['one']);

    assert.equal((await call('DELETE', `/api/expenses/transactions/${one.id}`)).statusCode, 204);
    assert.deepEqual(await tagged(alice, trip.id), ['two', 'three']);
    assert.deepEqual(await tagged(alice, work.id), []);

    // An imported transaction tagged by hand, then its batch undone.
    const imported = await call('POST', '/api/expenses/imports', {
      accountId: eur.id,
      csv: 'date,description,amount\n2026-03-20,Imported,-8.00\n',
    });
    assert.equal(imported.statusCode, 201, imported.body);
    const [row] = (await call('GET', `/api/expenses/transactions?q=imported`)).json().items;
    const tagging = await call('PATCH', `/api/expenses/transactions/${row.id}`, {
      tagIds: [trip.id],
      note: 'imported',
    });
    assert.equal(tagging.statusCode, 200, tagging.body);
    assert.deepEqual(await tagged(alice, trip.id), ['imported', 'two', 'three']);
    const undone = await call('POST', `/api/expenses/imports/${imported.json().batch.id}/undo`);
    assert.equal(undone.statusCode, 200, undone.body);
    assert.deepEqual(await tagged(alice, trip.id), ['two', 'three']);

    // A deleted tag takes its rows with it.
    assert.equal((await call('DELETE', `/api/expenses/tags/${trip.id}`)).statusCode, 204);
    assert.deepEqual(await tagged(alice, trip.id), []);
    const [kept] = (await call('GET', url)).json().lines;
    assert.deepEqual(kept.tagIds, []);
  });
});

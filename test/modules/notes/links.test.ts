import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { as, type Call, createUser, fieldsOf } from '../../helpers/users.ts';
import { createNote, editNote, NO_SUCH, type NoteBody } from './helpers.ts';

const app: FastifyInstance = await buildTestApp();

interface Backlink {
  id: string;
  title: string;
  updatedAt: string;
}

/** Every backlink of a note, page by page; also returns how many pages it took. */
async function allBacklinks(call: Call, noteId: string, limit: number) {
  const items: Backlink[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const res = await call('GET', `/api/notes/${noteId}/backlinks?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(res.statusCode, 200, res.body);
    const page = res.json() as { items: Backlink[]; nextCursor: string | null };
    assert.ok(page.items.length <= limit);
    items.push(...page.items);
    cursor = page.nextCursor;
    pages += 1;
  } while (cursor && pages < 50);
  return { items, pages };
}

/** Newest change first, ties by id (descending): the order the API promises. */
const newestFirst = (a: Backlink, b: Backlink) =>
  b.updatedAt.localeCompare(a.updatedAt) || (b.id > a.id ? 1 : b.id < a.id ? -1 : 0);

describe('note links and backlinks', () => {
  test('[[title]] and /notes/{id} links are backlinks; a title link resolves when the note comes later', async () => {
    const me = await createUser(app, 'links');
    const call = as(app, me);
    const target = await createNote(app, me, { title: 'Packing list' });
    const byTitle = await createNote(app, me, { title: 'Trip', body: 'See [[packing LIST|the list]] and [[Budget]].' });
    const byId = await createNote(app, me, { title: 'Index', body: `- [packing](/notes/${target.id})` });
    await createNote(app, me, { title: 'Code', body: '`[[Packing list]]` in code is not a link' });
    const backlinks = (await call('GET', `/api/notes/${target.id}/backlinks`)).json();
    assert.deepEqual(backlinks.items.map((b: { id: string }) => b.id).sort(), [byTitle.id, byId.id].sort());

    // "Budget" did not exist when Trip linked to it; now it does.
    const budget = await createNote(app, me, { title: 'Budget' });
    const late = (await call('GET', `/api/notes/${budget.id}/backlinks`)).json();
    assert.deepEqual(
      late.items.map((b: { title: string }) => b.title),
      ['Trip'],
    );

    // Links follow the body; a trashed note links nowhere.
    await editNote(app, me, byId, { body: 'no more links' });
    await call('DELETE', `/api/notes/${byTitle.id}`, undefined, { 'if-match': '"1"' });
    assert.deepEqual((await call('GET', `/api/notes/${target.id}/backlinks`)).json().items, []);
  });

  test('backlinks page by keyset: every linking note once, in a stable order; other users’ links never shown', async () => {
    const me = await createUser(app, 'linkpages');
    const other = await createUser(app, 'linkpagesother');
    const call = as(app, me);
    const target = await createNote(app, me, { title: 'Hub' });
    const sources = [];
    for (let i = 0; i < 23; i++) {
      // By id, by title, or both (still one backlink).
      const body = [`/notes/${target.id}`, '[[Hub]]', `[[hub]] and /notes/${target.id}`][i % 3];
      sources.push(await createNote(app, me, { title: `Source ${i}`, body }));
    }
    await createNote(app, me, { title: 'Unrelated', body: '[[Elsewhere]]' });
    // Another user's notes link to my note's id and title, and to their own "Hub".
    const theirHub = await createNote(app, other, { title: 'Hub' });
    for (const body of [`/notes/${target.id}`, '[[Hub]]', `/notes/${theirHub.id}`]) {
      await createNote(app, other, { title: 'Theirs', body });
    }
    // One source changes after the others: it comes first.
    const edited = await editNote(app, me, sources[4] as NoteBody, { title: 'Source 4 (edited)' });

    const { items, pages } = await allBacklinks(call, target.id, 5);
    assert.equal(pages, 5);
    assert.equal(items.length, 23);
    assert.deepEqual(items.map((b) => b.id).sort(), sources.map((n) => n.id).sort());
    assert.deepEqual(items, [...items].sort(newestFirst));
    assert.deepEqual(items[0], { id: edited.id, title: 'Source 4 (edited)', updatedAt: edited.updatedAt });
    // The same walk again, and in pages of another size: the same order.
    assert.deepEqual((await allBacklinks(call, target.id, 5)).items, items);
    assert.deepEqual((await allBacklinks(call, target.id, 100)).items, items);

    // The other user sees only their own: their Hub has their two links, never mine.
    const theirs = await allBacklinks(as(app, other), theirHub.id, 1);
    assert.equal(theirs.items.length, 2);
    assert.ok(theirs.items.every((b) => b.title === 'Theirs'));
    assert.equal(theirs.pages, 2);
    assertProblem(await as(app, other)('GET', `/api/notes/${target.id}/backlinks`), 404, 'NOTE_NOT_FOUND');

    // A trashed source leaves the pages.
    await call('DELETE', `/api/notes/${edited.id}`, undefined, { 'if-match': `"${edited.version}"` });
    const afterTrash = (await allBacklinks(call, target.id, 10)).items;
    assert.deepEqual(
      afterTrash,
      items.filter((b) => b.id !== edited.id),
    );
  });

  test('backlinks: 422 for a bad limit or a cursor this list did not make', async () => {
    const me = await createUser(app, 'linkcursor');
    const call = as(app, me);
    const a = await createNote(app, me, { title: 'A' });
    const b = await createNote(app, me, { title: 'B' });
    for (const title of ['x', 'y']) await createNote(app, me, { title, body: '[[A]] [[B]]' });
    const cursorOfA = (await call('GET', `/api/notes/${a.id}/backlinks?limit=1`)).json().nextCursor;
    assert.equal(typeof cursorOfA, 'string');
    const foreign = await call('GET', `/api/notes/${b.id}/backlinks?cursor=${cursorOfA}`);
    assertProblem(foreign, 422, 'VALIDATION_FAILED');
    assert.deepEqual(fieldsOf(foreign), ['query.cursor']);
    const listCursor = (await call('GET', '/api/notes?limit=1')).json().nextCursor;
    assert.deepEqual(fieldsOf(await call('GET', `/api/notes/${a.id}/backlinks?cursor=${listCursor}`)), [
      'query.cursor',
    ]);
    assert.deepEqual(fieldsOf(await call('GET', `/api/notes/${a.id}/backlinks?cursor=bm90LWpzb24`)), ['query.cursor']);
    assert.deepEqual(fieldsOf(await call('GET', `/api/notes/${a.id}/backlinks?limit=0`)), ['query.limit']);
    assert.deepEqual(fieldsOf(await call('GET', `/api/notes/${a.id}/backlinks?limit=101`)), ['query.limit']);
    assert.deepEqual(fieldsOf(await call('GET', '/api/notes/nope/backlinks')), ['params.id']);
  });

  test('links never cross users; 404 and 401', async () => {
    const me = await createUser(app, 'linkowner');
    const other = await createUser(app, 'linkother');
    const mine = await createNote(app, me, { title: 'Secret' });
    await createNote(app, other, { title: 'Spy', body: `[[Secret]] /notes/${mine.id}` });
    assert.deepEqual((await as(app, me)('GET', `/api/notes/${mine.id}/backlinks`)).json().items, []);
    assertProblem(await as(app, me)('GET', `/api/notes/${NO_SUCH}/backlinks`), 404, 'NOTE_NOT_FOUND');
    assertProblem(await as(app, null)('GET', `/api/notes/${mine.id}/backlinks`), 401, 'UNAUTHORIZED');
  });
});

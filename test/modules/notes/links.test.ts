import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { as, createUser } from '../../helpers/users.ts';
import { createNote, editNote, NO_SUCH } from './helpers.ts';

const app: FastifyInstance = await buildTestApp();

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

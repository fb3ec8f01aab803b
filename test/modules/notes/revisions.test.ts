import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { as, createUser, fieldsOf } from '../../helpers/users.ts';
import { createNote, editNote, NO_SUCH } from './helpers.ts';

const app: FastifyInstance = await buildTestApp({ NOTES_REVISIONS_KEPT: '5' });

/** Moves every revision's last edit an hour back, as if the coalescing window had passed. */
const windowPasses = () => sql`update note_revisions set updated_at = updated_at - interval '1 hour'`.execute(app.db);

describe('note revisions', () => {
  test('edits within the window coalesce; later ones make new revisions; list, get, diff', async () => {
    const me = await createUser(app, 'history');
    const call = as(app, me);
    let note = await createNote(app, me, { title: 'Plan', body: 'one\ntwo\nthree\n', tags: ['a'] });
    note = await editNote(app, me, note, { body: 'one\ntwo\nthree\nfour\n' });
    let list = (await call('GET', `/api/notes/${note.id}/revisions`)).json();
    assert.equal(list.items.length, 1, 'an edit right after creating joins the first revision');
    assert.equal(list.items[0].rev, 1);

    await windowPasses();
    note = await editNote(app, me, note, { title: 'Plan B', body: 'one\n2\nthree\nfour\n', tags: ['a', 'b'] });
    // Pinning is not content: no revision.
    await windowPasses();
    note = await editNote(app, me, note, { pinned: true });
    list = (await call('GET', `/api/notes/${note.id}/revisions`)).json();
    assert.deepEqual(
      list.items.map((r: { rev: number; title: string; length: number }) => [r.rev, r.title, r.length]),
      [
        [2, 'Plan B', 17],
        [1, 'Plan', 19],
      ],
    );
    assert.equal(list.items[0].authorId, me.id);

    const rev1 = (await call('GET', `/api/notes/${note.id}/revisions/1`)).json();
    assert.equal(rev1.body, 'one\ntwo\nthree\nfour\n');
    assert.deepEqual(rev1.tags, ['a']);

    const diff = await call('GET', `/api/notes/${note.id}/revisions/2/diff?against=1`);
    assert.equal(diff.statusCode, 200, diff.body);
    const d = diff.json();
    assert.deepEqual(d.title, { from: 'Plan', to: 'Plan B' });
    assert.deepEqual(d.tags, { added: ['b'], removed: [] });
    assert.equal(d.additions, 1);
    assert.equal(d.deletions, 1);
    assert.equal(d.hunks.length, 1);
    assert.deepEqual(d.hunks[0], {
      oldStart: 1,
      oldLines: 4,
      newStart: 1,
      newLines: 4,
      lines: [' one', '-two', '+2', ' three', ' four'],
    });
    assert.match(d.patch, /^-two$/m);
  });

  test('restore makes a new version and a new revision; retention keeps the last N', async () => {
    const me = await createUser(app, 'restore');
    const call = as(app, me);
    let note = await createNote(app, me, { title: 'Draft', body: 'first' });
    for (const body of ['second', 'third']) {
      await windowPasses();
      note = await editNote(app, me, note, { body });
    }
    const restoreStale = await call('POST', `/api/notes/${note.id}/revisions/1/restore`, undefined, {
      'if-match': '"1"',
    });
    assert.equal(assertProblem(restoreStale, 412, 'PRECONDITION_FAILED') && restoreStale.json().current.body, 'third');
    const restored = await call('POST', `/api/notes/${note.id}/revisions/1/restore`, undefined, {
      'if-match': `"${note.version}"`,
    });
    assert.equal(restored.statusCode, 200, restored.body);
    assert.equal(restored.json().body, 'first');
    assert.equal(restored.json().version, note.version + 1);
    assert.equal(restored.headers.etag, `"${note.version + 1}"`);
    const list = (await call('GET', `/api/notes/${note.id}/revisions`)).json();
    assert.deepEqual(
      list.items.map((r: { rev: number; restoredFrom: number | null }) => [r.rev, r.restoredFrom]),
      [
        [4, 1],
        [3, null],
        [2, null],
        [1, null],
      ],
    );

    // Retention: 5 kept; older ones go.
    note = restored.json();
    for (const body of ['5', '6', '7']) {
      await windowPasses();
      note = await editNote(app, me, note, { body });
    }
    const kept = (await call('GET', `/api/notes/${note.id}/revisions?limit=2`)).json();
    assert.deepEqual(
      kept.items.map((r: { rev: number }) => r.rev),
      [7, 6],
    );
    const rest = (await call('GET', `/api/notes/${note.id}/revisions?limit=10&cursor=${kept.nextCursor}`)).json();
    assert.deepEqual(
      rest.items.map((r: { rev: number }) => r.rev),
      [5, 4, 3],
    );
    assert.equal(rest.nextCursor, null);
    assertProblem(await call('GET', `/api/notes/${note.id}/revisions/1`), 404, 'REVISION_NOT_FOUND');
  });

  test('errors: 404 for unknown revisions and other users, 422 for bad input, 401', async () => {
    const me = await createUser(app, 'revowner');
    const other = await createUser(app, 'revsnoop');
    const note = await createNote(app, me, { body: 'x' });
    const call = as(app, me);
    assertProblem(await call('GET', `/api/notes/${note.id}/revisions/9`), 404, 'REVISION_NOT_FOUND');
    assertProblem(await call('GET', `/api/notes/${note.id}/revisions/1/diff?against=9`), 404, 'REVISION_NOT_FOUND');
    assertProblem(await call('POST', `/api/notes/${note.id}/revisions/9/restore`), 404, 'REVISION_NOT_FOUND');
    assertProblem(await call('GET', `/api/notes/${NO_SUCH}/revisions`), 404, 'NOTE_NOT_FOUND');
    const snoop = as(app, other);
    assertProblem(await snoop('GET', `/api/notes/${note.id}/revisions`), 404, 'NOTE_NOT_FOUND');
    assertProblem(await snoop('GET', `/api/notes/${note.id}/revisions/1`), 404, 'NOTE_NOT_FOUND');
    assertProblem(await snoop('POST', `/api/notes/${note.id}/revisions/1/restore`), 404, 'NOTE_NOT_FOUND');
    const bad = await call('GET', `/api/notes/${note.id}/revisions/0/diff?against=x`);
    assertProblem(bad, 422, 'VALIDATION_FAILED');
    assert.deepEqual(fieldsOf(bad).sort(), ['params.rev']);
    assert.deepEqual(fieldsOf(await call('GET', `/api/notes/${note.id}/revisions/1/diff`)), ['query.against']);
    assertProblem(await as(app, null)('GET', `/api/notes/${note.id}/revisions`), 401, 'UNAUTHORIZED');
  });
});

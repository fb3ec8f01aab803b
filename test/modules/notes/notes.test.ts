import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { as, createUser, fieldsOf } from '../../helpers/users.ts';
import { createNote, editNote, NO_SUCH } from './helpers.ts';

const app: FastifyInstance = await buildTestApp();

describe('notes CRUD', () => {
  test('create with tags and hashtags, get with ETag/304, patch with If-Match', async () => {
    const me = await createUser(app, 'notes');
    const call = as(app, me);
    const created = await call('POST', '/api/notes', {
      title: 'Trip to Kyoto',
      body: 'Book the #ryokan and #Travel.\n\n# Heading, not a tag\n`#code` neither',
      tags: ['Japan', '#travel'],
    });
    assert.equal(created.statusCode, 201, created.body);
    const note = created.json();
    assert.equal(created.headers.etag, '"1"');
    assert.equal(created.headers.location, `/api/notes/${note.id}`);
    assert.deepEqual(note.tags, ['japan', 'travel']);
    assert.deepEqual(note.allTags, ['japan', 'travel', 'ryokan']);
    assert.equal(note.pinned, false);
    assert.equal(note.archived, false);
    assert.equal(note.trashed, false);
    assert.equal(note.notebookId, null);

    const got = await call('GET', `/api/notes/${note.id}`);
    assert.deepEqual(got.json(), note);
    assert.equal(got.headers.etag, '"1"');
    assert.equal((await call('GET', `/api/notes/${note.id}`, undefined, { 'if-none-match': '"1"' })).statusCode, 304);

    const pinned = await editNote(app, me, note, { pinned: true, title: 'Kyoto' });
    assert.equal(pinned.version, 2);
    assert.equal(pinned.pinned, true);
    assert.equal(pinned.title, 'Kyoto');
    // The same values again change nothing: no new version.
    const same = await editNote(app, me, pinned, { pinned: true });
    assert.equal(same.version, 2);
  });

  test('client-chosen ids: yours again is 409; one someone else uses is simply free', async () => {
    const me = await createUser(app, 'offline');
    const other = await createUser(app, 'other');
    const id = randomUUID();
    const mine = await createNote(app, me, { id, title: 'From my phone' });
    assert.equal(mine.id, id);
    assertProblem(await as(app, me)('POST', '/api/notes', { id, title: 'again' }), 409, 'NOTE_EXISTS');
    // Nothing about my note leaks: the other user gets a note of their own under the same id.
    const theirs = await createNote(app, other, { id, title: 'Theirs' });
    assert.equal(theirs.id, id);
    assert.equal(theirs.title, 'Theirs');
    assert.equal((await as(app, me)('GET', `/api/notes/${id}`)).json().title, 'From my phone');
  });

  test('Idempotency-Key: a retried create makes one note', async () => {
    const me = await createUser(app, 'retry');
    const call = as(app, me);
    const headers = { 'idempotency-key': randomUUID() };
    const first = await call('POST', '/api/notes', { title: 'Once' }, headers);
    const second = await call('POST', '/api/notes', { title: 'Once' }, headers);
    assert.equal(first.statusCode, 201);
    assert.equal(second.statusCode, 201);
    assert.equal(second.headers['idempotent-replayed'], 'true');
    assert.equal(second.json().id, first.json().id);
    assert.equal((await call('GET', '/api/notes')).json().items.length, 1);
  });

  test('PATCH and DELETE need If-Match (428); a stale one is 412 with the current note', async () => {
    const me = await createUser(app, 'cond');
    const call = as(app, me);
    const note = await createNote(app, me, { title: 'v1', body: 'one' });
    assertProblem(await call('PATCH', `/api/notes/${note.id}`, { body: 'x' }), 428, 'PRECONDITION_REQUIRED');
    assertProblem(await call('DELETE', `/api/notes/${note.id}`), 428, 'PRECONDITION_REQUIRED');
    const v2 = await editNote(app, me, note, { body: 'two' });
    const stale = await call('PATCH', `/api/notes/${note.id}`, { body: 'mine' }, { 'if-match': '"1"' });
    const problem = assertProblem(stale, 412, 'PRECONDITION_FAILED') as unknown as { current: typeof v2 };
    assert.deepEqual(problem.current, v2);
    const staleDelete = await call('DELETE', `/api/notes/${note.id}`, undefined, { 'if-match': '"1"' });
    assert.equal(assertProblem(staleDelete, 412, 'PRECONDITION_FAILED') && staleDelete.json().current.version, 2);
    // `*` is a deliberate overwrite of whatever is there.
    assert.equal(
      (await call('PATCH', `/api/notes/${note.id}`, { body: 'forced' }, { 'if-match': '*' })).statusCode,
      200,
    );
  });

  test('422: every field error at once', async () => {
    const me = await createUser(app, 'invalid');
    const call = as(app, me);
    const res = await call('POST', '/api/notes', {
      id: 'not-a-uuid',
      title: 'x'.repeat(501),
      body: { text: 'no' },
      tags: ['two words'],
      pinned: 'maybe',
    });
    assertProblem(res, 422, 'VALIDATION_FAILED');
    assert.deepEqual(fieldsOf(res).sort(), ['body.body', 'body.id', 'body.pinned', 'body.tags.0', 'body.title']);
    const note = await createNote(app, me, { title: 'ok' });
    const empty = await call('PATCH', `/api/notes/${note.id}`, {}, { 'if-match': '"1"' });
    assertProblem(empty, 422, 'VALIDATION_FAILED');
    const badNotebook = await call('PATCH', `/api/notes/${note.id}`, { notebookId: NO_SUCH }, { 'if-match': '"1"' });
    assert.deepEqual(fieldsOf(badNotebook), ['body.notebookId']);
    assertProblem(await call('GET', '/api/notes/nope'), 422, 'VALIDATION_FAILED');
    const tooLong = await call('POST', '/api/notes', { body: 'x'.repeat(200_001) });
    assert.deepEqual(fieldsOf(tooLong), ['body.body']);
  });

  test('401 without a token, 404 for another user’s note', async () => {
    const me = await createUser(app, 'owner');
    const other = await createUser(app, 'snoop');
    const note = await createNote(app, me, { title: 'Private' });
    assertProblem(await as(app, null)('GET', `/api/notes/${note.id}`), 401, 'UNAUTHORIZED');
    assertProblem(await as(app, null)('POST', '/api/notes', { title: 'x' }), 401, 'UNAUTHORIZED');
    const snoop = as(app, other);
    assertProblem(await snoop('GET', `/api/notes/${note.id}`), 404, 'NOTE_NOT_FOUND');
    assertProblem(
      await snoop('PATCH', `/api/notes/${note.id}`, { title: 'x' }, { 'if-match': '"1"' }),
      404,
      'NOTE_NOT_FOUND',
    );
    assertProblem(
      await snoop('DELETE', `/api/notes/${note.id}`, undefined, { 'if-match': '"1"' }),
      404,
      'NOTE_NOT_FOUND',
    );
    assertProblem(await snoop('GET', `/api/notes/${note.id}/backlinks`), 404, 'NOTE_NOT_FOUND');
    assert.equal((await snoop('GET', '/api/notes')).json().items.length, 0);
  });

  test('concurrent edits on one version: exactly one wins, the other gets 412', async () => {
    const me = await createUser(app, 'race');
    const note = await createNote(app, me, { body: 'base' });
    const call = as(app, me);
    const results = await Promise.all(
      ['a', 'b', 'c'].map((body) => call('PATCH', `/api/notes/${note.id}`, { body }, { 'if-match': '"1"' })),
    );
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 412, 412]);
  });
});

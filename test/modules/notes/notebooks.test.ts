import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { as, type Call, createUser, fieldsOf } from '../../helpers/users.ts';
import { createNote, NO_SUCH } from './helpers.ts';

const app: FastifyInstance = await buildTestApp();

interface NotebookBody {
  id: string;
  name: string;
  parentId: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

const ifMatch = (notebook: { version: number }) => ({ 'if-match': `"${notebook.version}"` });

async function createNotebook(call: Call, payload: Record<string, unknown>) {
  const res = await call('POST', '/api/notes/notebooks', payload);
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as NotebookBody;
}

/** PATCH with the version the caller holds. */
async function editNotebook(call: Call, notebook: NotebookBody, payload: Record<string, unknown>) {
  const res = await call('PATCH', `/api/notes/notebooks/${notebook.id}`, payload, ifMatch(notebook));
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as NotebookBody;
}

describe('notebooks', () => {
  test('nest, list by name, rename, move, filter notes; deleting unfiles the notes as sync changes', async () => {
    const me = await createUser(app, 'books');
    const call = as(app, me);
    const work = await createNotebook(call, { name: 'Work' });
    let projects = await createNotebook(call, { name: 'Projects', parentId: work.id });
    assert.equal(projects.parentId, work.id);
    const archive = await createNotebook(call, { name: 'archive' });
    assertProblem(await call('POST', '/api/notes/notebooks', { name: 'work' }), 409, 'NOTEBOOK_EXISTS');
    // The same name in another folder is fine.
    await createNotebook(call, { name: 'Work', parentId: archive.id });

    const page = (await call('GET', '/api/notes/notebooks?limit=2')).json();
    assert.deepEqual(
      page.items.map((n: { name: string }) => n.name),
      ['archive', 'Projects'],
    );
    const rest = (await call('GET', `/api/notes/notebooks?limit=2&cursor=${page.nextCursor}`)).json();
    assert.deepEqual(
      rest.items.map((n: { name: string }) => n.name),
      ['Work', 'Work'],
    );

    projects = await editNotebook(call, projects, { name: 'Clients' });
    assert.equal(projects.name, 'Clients');
    const cycle = await call('PATCH', `/api/notes/notebooks/${work.id}`, { parentId: projects.id }, ifMatch(work));
    assert.deepEqual(fieldsOf(cycle), ['body.parentId']);
    projects = await editNotebook(call, projects, { parentId: null });
    assert.equal(projects.parentId, null);
    projects = await editNotebook(call, projects, { parentId: work.id });

    const filed = await createNote(app, me, { title: 'filed', notebookId: projects.id });
    await createNote(app, me, { title: 'loose' });
    const inBook = (await call('GET', `/api/notes?notebook=${projects.id}`)).json();
    assert.deepEqual(
      inBook.items.map((n: { title: string }) => n.title),
      ['filed'],
    );

    const cursor = (await call('GET', '/api/notes/changes')).json().nextCursor;
    assert.equal((await call('DELETE', `/api/notes/notebooks/${work.id}`, undefined, ifMatch(work))).statusCode, 204);
    assertProblem(
      await call('PATCH', `/api/notes/notebooks/${projects.id}`, { name: 'x' }, ifMatch(projects)),
      404,
      'NOTEBOOK_NOT_FOUND',
    );
    const after = (await call('GET', `/api/notes/${filed.id}`)).json();
    assert.equal(after.notebookId, null);
    assert.equal(after.version, 2);
    const changes = (await call('GET', `/api/notes/changes?cursor=${cursor}`)).json();
    assert.deepEqual(
      changes.items.map((c: { id: string }) => c.id),
      [filed.id],
    );
  });

  test('ETag on create, read and change; If-None-Match answers 304', async () => {
    const me = await createUser(app, 'booketag');
    const call = as(app, me);
    const created = await call('POST', '/api/notes/notebooks', { name: 'Recipes' });
    assert.equal(created.statusCode, 201);
    const book = created.json() as NotebookBody;
    assert.equal(book.version, 1);
    assert.equal(created.headers.etag, '"1"');
    assert.equal(created.headers.location, `/api/notes/notebooks/${book.id}`);

    const read = await call('GET', `/api/notes/notebooks/${book.id}`);
    assert.equal(read.statusCode, 200);
    assert.equal(read.headers.etag, '"1"');
    assert.deepEqual(read.json(), book);
    const cached = await call('GET', `/api/notes/notebooks/${book.id}`, undefined, { 'if-none-match': '"1"' });
    assert.equal(cached.statusCode, 304);
    assert.equal(cached.body, '');

    const renamed = await call('PATCH', `/api/notes/notebooks/${book.id}`, { name: 'Cooking' }, { 'if-match': '"1"' });
    assert.equal(renamed.statusCode, 200);
    assert.equal(renamed.headers.etag, '"2"');
    assert.deepEqual(
      { ...(renamed.json() as NotebookBody), updatedAt: book.updatedAt },
      { ...book, name: 'Cooking', version: 2 },
    );
    assert.equal(
      (await call('GET', `/api/notes/notebooks/${book.id}`, undefined, { 'if-none-match': '"1"' })).statusCode,
      200,
    );
    // A PATCH that changes nothing makes no new version: copies other devices hold stay current.
    const same = await call('PATCH', `/api/notes/notebooks/${book.id}`, { name: ' Cooking ' }, { 'if-match': '"2"' });
    assert.equal(same.statusCode, 200);
    assert.equal(same.headers.etag, '"2"');
    assert.equal(same.json().version, 2);
    // The list shows versions too.
    const listed = (await call('GET', '/api/notes/notebooks')).json().items;
    assert.deepEqual(
      listed.map((n: NotebookBody) => [n.name, n.version]),
      [['Cooking', 2]],
    );
  });

  test('PATCH and DELETE need If-Match (428); a stale one is 412 with the current notebook', async () => {
    const me = await createUser(app, 'bookcond');
    const call = as(app, me);
    const parent = await createNotebook(call, { name: 'Parent' });
    const book = await createNotebook(call, { name: 'v1' });
    const url = `/api/notes/notebooks/${book.id}`;
    assertProblem(await call('PATCH', url, { name: 'x' }), 428, 'PRECONDITION_REQUIRED');
    assertProblem(await call('DELETE', url), 428, 'PRECONDITION_REQUIRED');
    assert.equal((await call('GET', url)).json().name, 'v1');

    const v2 = await editNotebook(call, book, { name: 'v2', parentId: parent.id });
    const stale = await call('PATCH', url, { name: 'mine' }, { 'if-match': '"1"' });
    const problem = assertProblem(stale, 412, 'PRECONDITION_FAILED') as unknown as { current: NotebookBody };
    assert.deepEqual(problem.current, v2);
    const staleDelete = await call('DELETE', url, undefined, { 'if-match': '"1"' });
    assertProblem(staleDelete, 412, 'PRECONDITION_FAILED');
    assert.deepEqual(staleDelete.json().current, v2);
    // A tag we could never have issued never matches.
    assertProblem(await call('PATCH', url, { name: 'x' }, { 'if-match': 'W/"2"' }), 412, 'PRECONDITION_FAILED');
    assert.deepEqual((await call('GET', url)).json(), v2);

    // `*` is a deliberate overwrite of whatever is there.
    const forced = await call('PATCH', url, { name: 'forced' }, { 'if-match': '*' });
    assert.equal(forced.statusCode, 200);
    assert.equal(forced.json().version, 3);
    assert.equal((await call('DELETE', url, undefined, { 'if-match': '"3"' })).statusCode, 204);
    assertProblem(await call('GET', url), 404, 'NOTEBOOK_NOT_FOUND');
  });

  test('concurrent renames on one version: exactly one wins, the others get 412', async () => {
    const me = await createUser(app, 'bookrace');
    const call = as(app, me);
    const book = await createNotebook(call, { name: 'Shared' });
    const results = await Promise.all(
      ['a', 'b', 'c'].map((name) => call('PATCH', `/api/notes/notebooks/${book.id}`, { name }, ifMatch(book))),
    );
    assert.deepEqual(results.map((r) => r.statusCode).sort(), [200, 412, 412]);
    const winner = results.find((r) => r.statusCode === 200)?.json();
    for (const loser of results.filter((r) => r.statusCode === 412)) assert.deepEqual(loser.json().current, winner);
    assert.deepEqual((await call('GET', `/api/notes/notebooks/${book.id}`)).json(), winner);
  });

  test('422, 401 and another user’s notebook', async () => {
    const me = await createUser(app, 'bookowner');
    const other = await createUser(app, 'booksnoop');
    const mine = await createNotebook(as(app, me), { name: 'Mine' });
    const call = as(app, other);
    const invalid = await call('POST', '/api/notes/notebooks', { name: ' ', parentId: 'x' });
    assert.deepEqual([...new Set(fieldsOf(invalid))].sort(), ['body.name', 'body.parentId']);
    assert.deepEqual(fieldsOf(await call('POST', '/api/notes/notebooks', { name: 'x', parentId: mine.id })), [
      'body.parentId',
    ]);
    assert.deepEqual(fieldsOf(await call('POST', '/api/notes', { notebookId: mine.id })), ['body.notebookId']);

    // Another user's notebook is not found, whatever If-Match says (404 before 428 or 412).
    const url = `/api/notes/notebooks/${mine.id}`;
    assertProblem(await call('GET', url), 404, 'NOTEBOOK_NOT_FOUND');
    assertProblem(await call('PATCH', url, { name: 'x' }), 404, 'NOTEBOOK_NOT_FOUND');
    assertProblem(await call('PATCH', url, { name: 'x' }, ifMatch(mine)), 404, 'NOTEBOOK_NOT_FOUND');
    assertProblem(await call('PATCH', url, { name: 'x' }, { 'if-match': '"9"' }), 404, 'NOTEBOOK_NOT_FOUND');
    assertProblem(await call('DELETE', url), 404, 'NOTEBOOK_NOT_FOUND');
    assertProblem(await call('DELETE', url, undefined, ifMatch(mine)), 404, 'NOTEBOOK_NOT_FOUND');
    assertProblem(
      await call('DELETE', `/api/notes/notebooks/${NO_SUCH}`, undefined, ifMatch(mine)),
      404,
      'NOTEBOOK_NOT_FOUND',
    );
    assert.deepEqual((await as(app, me)('GET', url)).json(), mine);

    // 422: the id, an empty change, names and parents that cannot be.
    const own = as(app, me);
    assert.deepEqual(fieldsOf(await own('GET', '/api/notes/notebooks/nope')), ['params.notebookId']);
    assert.deepEqual(fieldsOf(await own('PATCH', '/api/notes/notebooks/nope', { name: 'x' }, ifMatch(mine))), [
      'params.notebookId',
    ]);
    assert.deepEqual(fieldsOf(await own('DELETE', '/api/notes/notebooks/nope', undefined, ifMatch(mine))), [
      'params.notebookId',
    ]);
    assertProblem(await own('PATCH', url, {}, ifMatch(mine)), 422, 'VALIDATION_FAILED');
    const badPatch = await own('PATCH', url, { name: 'x'.repeat(201), parentId: 'x' }, ifMatch(mine));
    assert.deepEqual([...new Set(fieldsOf(badPatch))].sort(), ['body.name', 'body.parentId']);
    assert.deepEqual(fieldsOf(await own('PATCH', url, { parentId: mine.id }, ifMatch(mine))), ['body.parentId']);
    assert.deepEqual(fieldsOf(await own('PATCH', url, { parentId: NO_SUCH }, ifMatch(mine))), ['body.parentId']);
    assert.deepEqual((await own('GET', url)).json(), mine);

    assertProblem(await as(app, null)('GET', '/api/notes/notebooks'), 401, 'UNAUTHORIZED');
    assertProblem(await as(app, null)('GET', url), 401, 'UNAUTHORIZED');
    assertProblem(await as(app, null)('PATCH', url, { name: 'x' }, ifMatch(mine)), 401, 'UNAUTHORIZED');
    assertProblem(await as(app, null)('DELETE', url, undefined, ifMatch(mine)), 401, 'UNAUTHORIZED');
    assert.deepEqual((await call('GET', '/api/notes/notebooks')).json().items, []);
  });
});

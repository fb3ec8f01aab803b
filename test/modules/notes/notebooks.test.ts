import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { as, createUser, fieldsOf } from '../../helpers/users.ts';
import { createNote, NO_SUCH } from './helpers.ts';

const app: FastifyInstance = await buildTestApp();

describe('notebooks', () => {
  test('nest, list by name, rename, move, filter notes; deleting unfiles the notes as sync changes', async () => {
    const me = await createUser(app, 'books');
    const call = as(app, me);
    const work = (await call('POST', '/api/notes/notebooks', { name: 'Work' })).json();
    const projects = await call('POST', '/api/notes/notebooks', { name: 'Projects', parentId: work.id });
    assert.equal(projects.statusCode, 201, projects.body);
    assert.equal(projects.json().parentId, work.id);
    const archive = (await call('POST', '/api/notes/notebooks', { name: 'archive' })).json();
    assertProblem(await call('POST', '/api/notes/notebooks', { name: 'work' }), 409, 'NOTEBOOK_EXISTS');
    // The same name in another folder is fine.
    assert.equal((await call('POST', '/api/notes/notebooks', { name: 'Work', parentId: archive.id })).statusCode, 201);

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

    const renamed = await call('PATCH', `/api/notes/notebooks/${projects.json().id}`, { name: 'Clients' });
    assert.equal(renamed.json().name, 'Clients');
    const cycle = await call('PATCH', `/api/notes/notebooks/${work.id}`, { parentId: projects.json().id });
    assert.deepEqual(fieldsOf(cycle), ['body.parentId']);
    const moved = await call('PATCH', `/api/notes/notebooks/${projects.json().id}`, { parentId: null });
    assert.equal(moved.json().parentId, null);
    await call('PATCH', `/api/notes/notebooks/${projects.json().id}`, { parentId: work.id });

    const filed = await createNote(app, me, { title: 'filed', notebookId: projects.json().id });
    await createNote(app, me, { title: 'loose' });
    const inBook = (await call('GET', `/api/notes?notebook=${projects.json().id}`)).json();
    assert.deepEqual(
      inBook.items.map((n: { title: string }) => n.title),
      ['filed'],
    );

    const cursor = (await call('GET', '/api/notes/changes')).json().nextCursor;
    assert.equal((await call('DELETE', `/api/notes/notebooks/${work.id}`)).statusCode, 204);
    assertProblem(
      await call('PATCH', `/api/notes/notebooks/${projects.json().id}`, { name: 'x' }),
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

  test('422, 401 and another user’s notebook', async () => {
    const me = await createUser(app, 'bookowner');
    const other = await createUser(app, 'booksnoop');
    const mine = (await as(app, me)('POST', '/api/notes/notebooks', { name: 'Mine' })).json();
    const call = as(app, other);
    const invalid = await call('POST', '/api/notes/notebooks', { name: ' ', parentId: 'x' });
    assert.deepEqual([...new Set(fieldsOf(invalid))].sort(), ['body.name', 'body.parentId']);
    assert.deepEqual(fieldsOf(await call('POST', '/api/notes/notebooks', { name: 'x', parentId: mine.id })), [
      'body.parentId',
    ]);
    assert.deepEqual(fieldsOf(await call('POST', '/api/notes', { notebookId: mine.id })), ['body.notebookId']);
    assertProblem(await call('PATCH', `/api/notes/notebooks/${mine.id}`, { name: 'x' }), 404, 'NOTEBOOK_NOT_FOUND');
    assertProblem(await call('DELETE', `/api/notes/notebooks/${mine.id}`), 404, 'NOTEBOOK_NOT_FOUND');
    assertProblem(await call('DELETE', `/api/notes/notebooks/${NO_SUCH}`), 404, 'NOTEBOOK_NOT_FOUND');
    assertProblem(await as(app, null)('GET', '/api/notes/notebooks'), 401, 'UNAUTHORIZED');
    assert.deepEqual((await call('GET', '/api/notes/notebooks')).json().items, []);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { purgeTrash } from '../../../src/modules/notes/trash-service.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { as, createUser } from '../../helpers/users.ts';
import { createNote, uploadFile } from './helpers.ts';

const app: FastifyInstance = await buildTestApp({ NOTES_TRASH_DAYS: '7' });
const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });

describe('notes trash', () => {
  test('DELETE moves to the trash; list it, restore, delete for good', async () => {
    const me = await createUser(app, 'trash');
    const call = as(app, me);
    const a = await createNote(app, me, { title: 'A' });
    const b = await createNote(app, me, { title: 'B' });
    assert.equal((await call('DELETE', `/api/notes/${a.id}`, undefined, ifMatch(1))).statusCode, 204);
    assert.equal((await call('DELETE', `/api/notes/${b.id}`, undefined, ifMatch(1))).statusCode, 204);

    const trashed = (await call('GET', `/api/notes/${a.id}`)).json();
    assert.equal(trashed.trashed, true);
    assert.equal(trashed.version, 2);
    assert.ok(trashed.trashedAt);
    assert.deepEqual((await call('GET', '/api/notes')).json().items, [], 'the list leaves the trash out');
    const page1 = (await call('GET', '/api/notes/trash?limit=1')).json();
    assert.deepEqual(
      page1.items.map((n: { title: string }) => n.title),
      ['B'],
    );
    const page2 = (await call('GET', `/api/notes/trash?limit=1&cursor=${page1.nextCursor}`)).json();
    assert.deepEqual(
      page2.items.map((n: { title: string }) => n.title),
      ['A'],
    );

    assertProblem(await call('PATCH', `/api/notes/${a.id}`, { title: 'x' }, ifMatch(2)), 409, 'NOTE_IN_TRASH');
    const restored = await call('POST', `/api/notes/${a.id}/restore`);
    assert.equal(restored.statusCode, 200, restored.body);
    assert.equal(restored.json().trashed, false);
    assert.equal(restored.json().version, 3);
    assertProblem(await call('POST', `/api/notes/${a.id}/restore`), 409, 'NOTE_NOT_IN_TRASH');

    assert.equal((await call('DELETE', `/api/notes/${b.id}?permanent=true`, undefined, ifMatch(2))).statusCode, 204);
    assertProblem(await call('GET', `/api/notes/${b.id}`), 404, 'NOTE_NOT_FOUND');
    assert.deepEqual((await call('GET', '/api/notes/trash')).json().items, []);
  });

  test('permanent delete lets go of the attached files', async () => {
    const me = await createUser(app, 'files');
    const call = as(app, me);
    const fileId = await uploadFile(app, me);
    const note = await createNote(app, me, { body: `See ![a](/api/files/${fileId}/content)` });
    // Held by the note: the file cannot be deleted.
    assert.equal((await call('DELETE', `/api/files/${fileId}`)).statusCode, 409);
    await call('DELETE', `/api/notes/${note.id}?permanent=true`, undefined, ifMatch(1));
    assert.equal((await call('DELETE', `/api/files/${fileId}`)).statusCode, 204);
  });

  test('the purge deletes notes trashed longer than NOTES_TRASH_DAYS, and the job is scheduled', async () => {
    const me = await createUser(app, 'purge');
    const call = as(app, me);
    const old = await createNote(app, me, { title: 'old' });
    const recent = await createNote(app, me, { title: 'recent' });
    await call('DELETE', `/api/notes/${old.id}`, undefined, ifMatch(1));
    await call('DELETE', `/api/notes/${recent.id}`, undefined, ifMatch(1));
    await sql`update notes set trashed_at = now() - interval '8 days' where id = ${old.id}`.execute(app.db);
    const report = await purgeTrash({ db: app.db, config: app.config.notes });
    assert.equal(report.purged, 1);
    assertProblem(await call('GET', `/api/notes/${old.id}`), 404, 'NOTE_NOT_FOUND');
    assert.equal((await call('GET', `/api/notes/${recent.id}`)).statusCode, 200);
    const changes = (await call('GET', '/api/notes/changes')).json();
    assert.ok(changes.items.some((c: { id: string; deleted: boolean }) => c.id === old.id && c.deleted));
    const schedules = await sql<{ name: string; cron: string }>`select name, cron from pgboss.schedule`.execute(app.db);
    assert.ok(schedules.rows.some((s) => s.name === 'notes.purge-trash'));
  });

  test('401, and another user’s note is 404 for restore and delete', async () => {
    const me = await createUser(app, 'mine');
    const other = await createUser(app, 'theirs');
    const note = await createNote(app, me, { title: 'x' });
    assertProblem(await as(app, null)('GET', '/api/notes/trash'), 401, 'UNAUTHORIZED');
    assertProblem(await as(app, other)('POST', `/api/notes/${note.id}/restore`), 404, 'NOTE_NOT_FOUND');
    assertProblem(
      await as(app, other)('DELETE', `/api/notes/${note.id}?permanent=true`, undefined, ifMatch(1)),
      404,
      'NOTE_NOT_FOUND',
    );
  });
});

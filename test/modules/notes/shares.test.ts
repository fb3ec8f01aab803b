import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { as, createUser, fieldsOf } from '../../helpers/users.ts';
import { createNote, editNote } from './helpers.ts';

const app: FastifyInstance = await buildTestApp();
const anonymous = as(app, null);

describe('note share links', () => {
  test('a link reads the note with no account, follows edits, and stops when revoked', async () => {
    const me = await createUser(app, 'sharer');
    const call = as(app, me);
    const note = await createNote(app, me, { title: 'Recipe', body: 'Flour #baking', tags: ['food'] });
    const created = await call('POST', `/api/notes/${note.id}/shares`, {});
    assert.equal(created.statusCode, 201, created.body);
    const share = created.json();
    assert.equal(share.url, `/api/shared/notes/${share.token}`);
    assert.equal(share.expiresAt, null);
    const read = await anonymous('GET', share.url);
    assert.equal(read.statusCode, 200);
    assert.equal(read.headers['cache-control'], 'private, no-store');
    assert.deepEqual(read.json(), {
      title: 'Recipe',
      body: 'Flour #baking',
      tags: ['food', 'baking'],
      updatedAt: note.updatedAt,
    });
    await editNote(app, me, note, { body: 'Flour and eggs' });
    assert.equal((await anonymous('GET', share.url)).json().body, 'Flour and eggs');

    const list = (await call('GET', `/api/notes/${note.id}/shares`)).json();
    assert.deepEqual(list.items, [{ id: share.id, expiresAt: null, expired: false, createdAt: share.createdAt }]);
    assert.equal(JSON.stringify(list).includes(share.token), false, 'the token is shown only once');
    const stored = await sql<{
      n: number;
    }>`select count(*)::int as n from note_shares where token_hash = ${Buffer.from(share.token)}`.execute(app.db);
    assert.equal(stored.rows[0]?.n, 0, 'only a hash is stored');

    assert.equal((await call('DELETE', `/api/notes/${note.id}/shares/${share.id}`)).statusCode, 204);
    assertProblem(await anonymous('GET', share.url), 404, 'SHARE_NOT_FOUND');
    assertProblem(await call('DELETE', `/api/notes/${note.id}/shares/${share.id}`), 404, 'SHARE_NOT_FOUND');
    assert.deepEqual((await call('GET', `/api/notes/${note.id}/shares`)).json().items, []);
  });

  test('an expiring link works until it expires; trashing the note hides it', async () => {
    const me = await createUser(app, 'expiring');
    const call = as(app, me);
    const note = await createNote(app, me, { title: 'Soon gone' });
    const expiresAt = new Date(Date.now() + 3_600_000).toISOString();
    const share = (await call('POST', `/api/notes/${note.id}/shares`, { expiresAt })).json();
    assert.equal(share.expiresAt, expiresAt);
    assert.equal((await anonymous('GET', share.url)).statusCode, 200);
    await sql`update note_shares set expires_at = now() - interval '1 second' where id = ${share.id}`.execute(app.db);
    assertProblem(await anonymous('GET', share.url), 404, 'SHARE_NOT_FOUND');
    assert.equal((await call('GET', `/api/notes/${note.id}/shares`)).json().items[0].expired, true);

    const open = (await call('POST', `/api/notes/${note.id}/shares`, {})).json();
    await call('DELETE', `/api/notes/${note.id}`, undefined, { 'if-match': '"1"' });
    assertProblem(await anonymous('GET', open.url), 404, 'SHARE_NOT_FOUND');
    assertProblem(await call('POST', `/api/notes/${note.id}/shares`, {}), 409, 'NOTE_IN_TRASH');
  });

  test('422, 401, another user’s note, and made-up tokens', async () => {
    const me = await createUser(app, 'shareowner');
    const other = await createUser(app, 'sharesnoop');
    const note = await createNote(app, me, { title: 'x' });
    const call = as(app, me);
    const past = await call('POST', `/api/notes/${note.id}/shares`, { expiresAt: '2020-01-01T00:00:00Z' });
    assert.deepEqual(fieldsOf(past), ['body.expiresAt']);
    assert.deepEqual(fieldsOf(await call('POST', `/api/notes/${note.id}/shares`, { expiresAt: 'tomorrow' })), [
      'body.expiresAt',
    ]);
    assertProblem(await as(app, other)('POST', `/api/notes/${note.id}/shares`, {}), 404, 'NOTE_NOT_FOUND');
    assertProblem(await as(app, other)('GET', `/api/notes/${note.id}/shares`), 404, 'NOTE_NOT_FOUND');
    assertProblem(await anonymous('POST', `/api/notes/${note.id}/shares`, {}), 401, 'UNAUTHORIZED');
    assertProblem(await anonymous('GET', '/api/shared/notes/not-a-real-token'), 404, 'SHARE_NOT_FOUND');
  });
});

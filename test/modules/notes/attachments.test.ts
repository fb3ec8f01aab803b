import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { as, createUser, fieldsOf } from '../../helpers/users.ts';
import { createNote, NO_SUCH, uploadFile } from './helpers.ts';

const app: FastifyInstance = await buildTestApp();

describe('note attachments', () => {
  test('attach, list, detach; a file shown in the body is attached on write', async () => {
    const me = await createUser(app, 'attach');
    const call = as(app, me);
    const shown = await uploadFile(app, me, 'shown.txt');
    const extra = await uploadFile(app, me, 'extra.txt');
    const note = await createNote(app, me, { body: `![chart](/api/files/${shown}/content)` });
    const attached = await call('POST', `/api/notes/${note.id}/attachments`, { fileId: extra });
    assert.equal(attached.statusCode, 201, attached.body);
    assert.equal(attached.json().name, 'extra.txt');
    assert.equal(attached.json().url, `/api/files/${extra}/content`);
    const list = (await call('GET', `/api/notes/${note.id}/attachments`)).json();
    assert.deepEqual(list.items.map((a: { id: string }) => a.id).sort(), [shown, extra].sort());
    assert.equal((await call('DELETE', `/api/notes/${note.id}/attachments/${extra}`)).statusCode, 204);
    assertProblem(await call('DELETE', `/api/notes/${note.id}/attachments/${extra}`), 404, 'ATTACHMENT_NOT_FOUND');
    assert.deepEqual(
      (await call('GET', `/api/notes/${note.id}/attachments`)).json().items.map((a: { id: string }) => a.id),
      [shown],
    );
  });

  test('someone else’s file or note is 404; a body showing their file is 422; 401', async () => {
    const me = await createUser(app, 'attachowner');
    const other = await createUser(app, 'attachother');
    const theirs = await uploadFile(app, other);
    const note = await createNote(app, me, { title: 'x' });
    const call = as(app, me);
    assertProblem(await call('POST', `/api/notes/${note.id}/attachments`, { fileId: theirs }), 404, 'FILE_NOT_FOUND');
    assert.deepEqual(fieldsOf(await call('POST', '/api/notes', { body: `![x](/api/files/${theirs}/content)` })), [
      'body.body',
    ]);
    assertProblem(
      await as(app, other)('POST', `/api/notes/${note.id}/attachments`, { fileId: theirs }),
      404,
      'NOTE_NOT_FOUND',
    );
    assertProblem(await call('GET', `/api/notes/${NO_SUCH}/attachments`), 404, 'NOTE_NOT_FOUND');
    assert.deepEqual(fieldsOf(await call('POST', `/api/notes/${note.id}/attachments`, { fileId: 'x' })), [
      'body.fileId',
    ]);
    assertProblem(await as(app, null)('GET', `/api/notes/${note.id}/attachments`), 401, 'UNAUTHORIZED');
  });
});

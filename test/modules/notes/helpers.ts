import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { as, type TestUser } from '../../helpers/users.ts';

/** Shared by the notes tests: create a note and read its ETag'd state. */

export const NO_SUCH = '00000000-0000-4000-8000-000000000000';

export interface NoteBody {
  id: string;
  title: string;
  body: string;
  version: number;
  tags: string[];
  allTags: string[];
  [key: string]: unknown;
}

export async function createNote(app: FastifyInstance, user: TestUser, payload: Record<string, unknown>) {
  const res = await as(app, user)('POST', '/api/notes', payload);
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as NoteBody;
}

/** PATCH with the version the caller holds. */
export async function editNote(
  app: FastifyInstance,
  user: TestUser,
  note: { id: string; version: number },
  payload: Record<string, unknown>,
) {
  const res = await as(app, user)('PATCH', `/api/notes/${note.id}`, payload, { 'if-match': `"${note.version}"` });
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as NoteBody;
}

/** Uploads a small text file through /api/files; returns its id. */
export async function uploadFile(app: FastifyInstance, user: TestUser, name = 'a.txt', text = 'hello') {
  const res = await app.inject({
    method: 'POST',
    url: '/api/files',
    headers: { authorization: `Bearer ${user.token}`, 'content-type': 'multipart/form-data; boundary=XYZ' },
    payload: `--XYZ\r\nContent-Disposition: form-data; name="file"; filename="${name}"\r\nContent-Type: text/plain\r\n\r\n${text}\r\n--XYZ--\r\n`,
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().id as string;
}

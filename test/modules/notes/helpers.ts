import assert from 'node:assert/strict';
import type { FastifyInstance } from 'fastify';
import { fromBufferPromise } from 'yauzl';
import { ZipFile } from 'yazl';
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

/** Every file entry of a zip, by path. */
export async function zipEntries(zip: Buffer): Promise<Map<string, Buffer>> {
  const file = await fromBufferPromise(zip, { lazyEntries: true });
  const entries = new Map<string, Buffer>();
  for await (const entry of file.eachEntry()) {
    const chunks: Buffer[] = [];
    for await (const chunk of await file.openReadStreamPromise(entry)) chunks.push(chunk as Buffer);
    // A path twice is an ambiguous zip (which copy does an unzip keep?): never one we make.
    assert.ok(!entries.has(entry.fileName), `${entry.fileName} is in the zip twice`);
    entries.set(entry.fileName, Buffer.concat(chunks));
  }
  return entries;
}

/** A zip of `entries`, as another tool (or a hand-edited export) would make it. */
export async function makeZip(entries: Record<string, string | Buffer>): Promise<Buffer> {
  const zip = new ZipFile();
  for (const [path, content] of Object.entries(entries)) zip.addBuffer(Buffer.from(content), path);
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Imports `payload` as `user`, waits for the job, and returns its report. */
export async function importAs(app: FastifyInstance, user: TestUser, payload: Buffer, format: 'zip' | 'enex') {
  const res = await as(app, user)('POST', `/api/notes/import?format=${format}`, payload, {
    'content-type': format === 'zip' ? 'application/zip' : 'application/xml',
  });
  assert.equal(res.statusCode, 202, res.body);
  await app.jobs.idle();
  const report = await as(app, user)('GET', `/api/notes/imports/${res.json().id}`);
  assert.equal(report.statusCode, 200, report.body);
  assert.equal(report.json().status, 'done');
  return report.json() as {
    id: string;
    status: string;
    imported: number;
    skipped: Array<{ name: string; reason: string }>;
  };
}

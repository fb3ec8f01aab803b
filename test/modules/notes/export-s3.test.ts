import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../../helpers/app.ts';
import { as, createUser } from '../../helpers/users.ts';
import { photo, s3Harness, sha256, upload } from '../files/support.ts';
import { createNote, importAs, zipEntries } from './helpers.ts';

/** The notes zip on the s3 storage driver: attachments stream out of the bucket and back into it. */

const harness = await s3Harness();
const app = await buildTestApp(harness.env);

test('export reads attachments from the bucket; import stores them there as new objects', async () => {
  const me = await createUser(app, 's3exp');
  const image = await photo(48, 32);
  const uploaded = await upload(app, me.token, image, { filename: 'plan.jpg', type: 'image/jpeg' });
  assert.equal(uploaded.statusCode, 201, uploaded.body);
  const file = uploaded.json();
  const note = await createNote(app, me, { title: 'Plan', body: `![plan](/api/files/${file.id}/content)` });

  const res = await as(app, me)('GET', '/api/notes/export');
  assert.equal(res.statusCode, 200);
  const entries = await zipEntries(res.rawPayload);
  assert.equal(sha256(entries.get(`attachments/${file.id}/plan.jpg`) as Buffer), sha256(image));

  const other = await createUser(app, 's3imp');
  const report = await importAs(app, other, res.rawPayload, 'zip');
  assert.deepEqual(report.skipped, []);
  const [copy] = (await as(app, other)('GET', `/api/notes/${note.id}/attachments`)).json().items;
  assert.notEqual(copy.id, file.id);
  assert.ok((await harness.listBlobs()).includes(`files/${copy.id}`));
  const content = await as(app, other)('GET', `/api/files/${copy.id}/content`);
  assert.equal(sha256(content.rawPayload), sha256(image));
  assert.equal(
    (await as(app, other)('GET', `/api/notes/${note.id}`)).json().body,
    `![plan](/api/files/${copy.id}/content)`,
  );
});

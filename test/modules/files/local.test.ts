import assert from 'node:assert/strict';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { attachFile, cleanUpFiles } from '../../../src/modules/files/index.ts';
import { signLink } from '../../../src/modules/files/links.ts';
import { createStorage } from '../../../src/modules/files/module.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { as, createUser } from '../tasks/helpers.ts';
import { filesSuite } from './suite.ts';
import { localHarness, text, upload } from './support.ts';

const harness = localHarness();
const app = await filesSuite(harness);

test('an expired signed link is refused', async () => {
  const alice = await createUser(app);
  const file = (await upload(app, alice.token, text(100), { type: 'text/plain' })).json();
  const expires = Math.floor(Date.now() / 1000) - 1;
  const secret = Buffer.from(harness.env.FILES_LINK_SECRET as string);
  const signature = signLink(secret, file.id, undefined, expires);
  const res = await app.inject({
    method: 'GET',
    url: `/api/files/${file.id}/content?expires=${expires}&signature=${signature}`,
  });
  assertProblem(res, 403, 'LINK_EXPIRED');
});

test('direct uploads need the s3 driver', async () => {
  const alice = await createUser(app);
  const res = await as(app, alice)('POST', '/api/files/uploads', {
    name: 'a.txt',
    size: 10,
    contentType: 'text/plain',
  });
  assertProblem(res, 409, 'DIRECT_UPLOAD_UNAVAILABLE');
});

test('clean-up: orphans, deleted files, crashed uploads and half-written blobs go; attached files stay', async () => {
  const alice = await createUser(app);
  const call = as(app, alice);
  const kept = (await upload(app, alice.token, text(100), { type: 'text/plain' })).json();
  const orphan = (await upload(app, alice.token, text(100), { type: 'text/plain' })).json();
  const deleted = (await upload(app, alice.token, text(100), { type: 'text/plain' })).json();
  await attachFile(app.db, { fileId: kept.id, userId: alice.id, objectType: 'note', objectId: 'n1' });
  assert.equal((await call('DELETE', `/api/files/${deleted.id}`)).statusCode, 204);
  // What a crash leaves: a row still `uploading`, its blob written, and a temp file never renamed.
  const crashedId = '11111111-1111-4111-8111-111111111111';
  await app.db
    .insertInto('files')
    .values({ id: crashedId, owner_id: alice.id, purpose: 'attachment', name: 'x', storage_key: `files/${crashedId}` })
    .execute();
  const dir = harness.env.STORAGE_LOCAL_DIR as string;
  writeFileSync(join(dir, 'files', crashedId), 'partial');
  mkdirSync(join(dir, '.incoming'), { recursive: true });
  const temp = join(dir, '.incoming', 'left-by-a-crash');
  writeFileSync(temp, 'partial');
  const old = new Date(Date.now() - 25 * 3_600_000);
  utimesSync(temp, old, old);

  const storage = createStorage(app.config.files.storage);
  const deps = { db: app.db, storage, orphanHours: 24 };
  // Nothing is old enough yet; what was deleted goes at once (other tests' deleted files too).
  const early = await cleanUpFiles(deps);
  assert.equal(early.orphans, 0);
  assert.equal(early.stalledUploads, 0);
  assert.equal(early.incompleteWrites, 1);
  assert.ok(early.filesRemoved >= 1 && early.blobsRemoved >= early.filesRemoved, JSON.stringify(early));
  assert.equal(await storage.size(`files/${deleted.id}`), undefined);
  assert.equal((await app.db.selectFrom('files').select('id').where('id', '=', deleted.id).execute()).length, 0);
  assert.notEqual(await storage.size(`files/${orphan.id}`), undefined);

  const later = new Date(Date.now() + 25 * 3_600_000);
  const report = await cleanUpFiles(deps, later);
  assert.ok(report.orphans >= 1 && report.stalledUploads === 1, JSON.stringify(report));
  const left = await app.db
    .selectFrom('files')
    .select(['id', 'storage_key'])
    .where('owner_id', '=', alice.id)
    .execute();
  assert.deepEqual(left, [{ id: kept.id, storage_key: `files/${kept.id}` }]);
  assert.equal(await storage.size(`files/${orphan.id}`), undefined);
  assert.equal(await storage.size(`files/${crashedId}`), undefined);
  // Every blob left has its row, and the attached file still downloads.
  const rows = new Set((await app.db.selectFrom('files').select('storage_key').execute()).map((r) => r.storage_key));
  const previews = new Set(
    (await app.db.selectFrom('file_previews').select('storage_key').execute()).map((r) => r.storage_key),
  );
  for (const blob of await harness.listBlobs()) assert.ok(rows.has(blob) || previews.has(blob), `${blob} has no row`);
  assert.equal((await call('GET', `/api/files/${kept.id}/content`)).statusCode, 200);
  assert.deepEqual(await cleanUpFiles(deps, later), {
    orphans: 0,
    stalledUploads: 0,
    blobsRemoved: 0,
    filesRemoved: 0,
    incompleteWrites: 0,
  });
});

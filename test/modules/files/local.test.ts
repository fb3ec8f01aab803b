import assert from 'node:assert/strict';
import { mkdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { attachFile, cleanUpFiles, detachAll, listAttachments } from '../../../src/modules/files/index.ts';
import { signLink } from '../../../src/modules/files/links.ts';
import { createStorage } from '../../../src/modules/files/module.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { as, createUser } from '../../helpers/users.ts';
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
  // The delete queued a clean-up; where a worker runs (PostgreSQL) it could sweep the crash
  // leftovers staged below before the run this test makes, so let it finish first.
  await app.jobs.idle();
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
  // Nothing is old enough yet; what was deleted is already gone (the job its delete queued).
  const early = await cleanUpFiles(deps);
  assert.equal(early.orphans, 0);
  assert.equal(early.stalledUploads, 0);
  assert.equal(early.incompleteWrites, 1);
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

test('attachments: counted once per object, listed per object, released by detachAll; a rolled-back detach changes nothing', async () => {
  const alice = await createUser(app);
  const call = as(app, alice);
  const a = (await upload(app, alice.token, text(10), { filename: 'a.txt', type: 'text/plain' })).json();
  const b = (await upload(app, alice.token, text(20), { filename: 'b.txt', type: 'text/plain' })).json();
  const note = { objectType: 'note', objectId: 'note-1' };
  assert.equal(await attachFile(app.db, { ...note, fileId: a.id, userId: alice.id }), true);
  assert.equal(await attachFile(app.db, { ...note, fileId: a.id, userId: alice.id }), false);
  assert.equal(await attachFile(app.db, { ...note, fileId: b.id, userId: alice.id }), true);
  await attachFile(app.db, { objectType: 'expense', objectId: 'e-1', fileId: a.id, userId: alice.id });
  assert.deepEqual(
    (await listAttachments(app.db, note)).map((f) => f.name),
    ['a.txt', 'b.txt'],
  );
  const counts = () =>
    app.db
      .selectFrom('files')
      .select(['id', 'attachment_count'])
      .where('id', 'in', [a.id, b.id])
      .orderBy('name')
      .execute();
  assert.deepEqual(
    (await counts()).map((r) => r.attachment_count),
    [2, 1],
  );

  // In the caller's transaction: rolled back with it.
  await assert.rejects(
    app.db.transaction().execute(async (trx) => {
      await detachAll(trx, note);
      throw new Error('the note could not be deleted');
    }),
    /could not be deleted/,
  );
  assert.deepEqual(
    (await counts()).map((r) => r.attachment_count),
    [2, 1],
  );

  assert.equal(await detachAll(app.db, note), 2);
  assert.deepEqual(await listAttachments(app.db, note), []);
  assert.deepEqual(
    (await counts()).map((r) => r.attachment_count),
    [1, 0],
  );
  assertProblem(await call('DELETE', `/api/files/${a.id}`), 409, 'FILE_ATTACHED');
  assert.equal((await call('DELETE', `/api/files/${b.id}`)).statusCode, 204);
  await assert.rejects(attachFile(app.db, { ...note, fileId: b.id, userId: alice.id }), { code: 'FILE_NOT_FOUND' });
});

test('a delete queues the clean-up job, which removes the blob and then the row; the job is scheduled hourly', async () => {
  const alice = await createUser(app);
  const file = (await upload(app, alice.token, text(100), { type: 'text/plain' })).json();
  assert.ok((await harness.listBlobs()).includes(`files/${file.id}`));
  assert.equal((await as(app, alice)('DELETE', `/api/files/${file.id}`)).statusCode, 204);
  const deadline = Date.now() + 20_000;
  const rowOf = () => app.db.selectFrom('files').select('id').where('id', '=', file.id).executeTakeFirst();
  while ((await rowOf()) !== undefined) {
    assert.ok(Date.now() < deadline, 'the clean-up job did not run within 20 s');
    await sleep(100);
  }
  assert.equal((await harness.listBlobs()).includes(`files/${file.id}`), false);
  const { rows } = await sql<{ cron: string }>`select cron from pgboss.schedule where name = 'files.clean-up'`.execute(
    app.db,
  );
  assert.deepEqual(rows, [{ cron: '17 * * * *' }]);
});

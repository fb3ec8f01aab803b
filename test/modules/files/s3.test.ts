import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { test } from 'node:test';
import { assertProblem } from '../../helpers/problem.ts';
import { as, createUser } from '../../helpers/users.ts';
import { filesSuite } from './suite.ts';
import { s3Harness, text } from './support.ts';

const harness = await s3Harness();
const app = await filesSuite(harness);

test('direct upload: presigned PUT straight to the bucket, then complete', async () => {
  const alice = await createUser(app);
  const call = as(app, alice);
  const bytes = text(700_000);
  const start = { name: 'big.csv', size: bytes.length, contentType: 'text/csv' };
  const key = { 'idempotency-key': 'start-big-csv' };
  const started = await call('POST', '/api/files/uploads', start, key);
  assert.equal(started.statusCode, 201, started.body);
  // A retry with the same key gets the same upload, not a second pending file.
  const retried = await call('POST', '/api/files/uploads', start, key);
  assert.equal(retried.headers['idempotent-replayed'], 'true');
  assert.deepEqual(retried.json(), started.json());
  const { id, uploadUrl, method, headers } = started.json();
  assert.equal(method, 'PUT');
  assert.deepEqual(headers, { 'content-type': 'text/csv' });
  assert.ok(uploadUrl.startsWith(harness.env.S3_ENDPOINT as string));

  // Not readable until completed; completing before the bytes are there is refused.
  assertProblem(await call('GET', `/api/files/${id}`), 404, 'FILE_NOT_FOUND');
  assertProblem(await call('POST', `/api/files/${id}/complete`), 409, 'UPLOAD_INCOMPLETE');

  const put = await fetch(uploadUrl, { method: 'PUT', headers, body: bytes });
  assert.equal(put.status, 200);
  const completed = await call('POST', `/api/files/${id}/complete`);
  assert.equal(completed.statusCode, 200, completed.body);
  assert.equal(completed.json().sha256, createHash('sha256').update(bytes).digest('hex'));
  assert.equal(completed.json().contentType, 'text/csv');
  assertProblem(await call('POST', `/api/files/${id}/complete`), 409, 'UPLOAD_NOT_PENDING');
  const other = await createUser(app);
  assertProblem(await as(app, other)('POST', `/api/files/${id}/complete`), 404, 'FILE_NOT_FOUND');
});

test('direct upload: the declared size is checked against the limit, the quota and the allow-list', async () => {
  const alice = await createUser(app);
  const call = as(app, alice);
  assertProblem(
    await call('POST', '/api/files/uploads', { name: 'a', size: 5_000_000, contentType: 'text/plain' }),
    413,
    'FILE_TOO_LARGE',
  );
  assertProblem(
    await call('POST', '/api/files/uploads', { name: 'a', size: 10, contentType: 'application/x-msdownload' }),
    415,
    'FILE_TYPE_NOT_ALLOWED',
  );
  // An executable PUT under a declared text type is caught when its bytes are sniffed.
  const started = (
    await call('POST', '/api/files/uploads', { name: 'a.txt', size: 4100, contentType: 'text/plain' })
  ).json();
  const exe = Buffer.concat([Buffer.from('MZ'), Buffer.alloc(4098, 0)]);
  await fetch(started.uploadUrl, { method: 'PUT', headers: started.headers, body: exe });
  assertProblem(await call('POST', `/api/files/${started.id}/complete`), 415, 'FILE_TYPE_NOT_ALLOWED');
  assert.equal((await harness.listBlobs()).includes(`files/${started.id}`), false);
});

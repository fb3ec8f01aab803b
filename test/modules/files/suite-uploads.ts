import assert from 'node:assert/strict';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import sharp from 'sharp';
import { assertProblem } from '../../helpers/problem.ts';
import { as, createUser } from '../../helpers/users.ts';
import { MAX_BYTES, multipart, type SuiteContext, text, upload } from './support.ts';

/** Upload rules every driver must keep: types, limits, quota, and what a failed upload leaves (nothing). */
export function uploadTests({ app, harness, counter }: SuiteContext) {
  test('an image that cannot be read is refused on upload; one corrupt past its header gets no preview', async () => {
    const alice = await createUser(app);
    // Noise, so the pixel data runs far past the first 200 bytes kept below.
    const noise = { type: 'gaussian' as const, mean: 128, sigma: 30 };
    const png = await sharp({ create: { width: 400, height: 300, channels: 3, background: 'red', noise } })
      .png()
      .toBuffer();
    const noHeader = Buffer.concat([png.subarray(0, 16), Buffer.alloc(100, 0)]);
    assertProblem(await upload(app, alice.token, noHeader, { type: 'image/png' }), 422, 'IMAGE_UNREADABLE');
    const corruptBody = Buffer.concat([png.subarray(0, 200), Buffer.alloc(2000, 7)]);
    const stored = await upload(app, alice.token, corruptBody, { type: 'image/png' });
    assert.equal(stored.statusCode, 201);
    assert.equal(stored.json().width, 400);
    const blobs = await harness.listBlobs();
    const preview = await as(app, alice)('GET', `/api/files/${stored.json().id}/content?width=64`);
    assertProblem(preview, 422, 'IMAGE_UNREADABLE');
    assert.deepEqual(await harness.listBlobs(), blobs, 'the failed preview left nothing behind');
    assert.equal((await as(app, alice)('GET', `/api/files/${stored.json().id}/content`)).statusCode, 200);
  });

  test('types come from the bytes: an executable named .png is refused, per-purpose allow-lists apply', async () => {
    const alice = await createUser(app);
    const elf = Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 2, 1, 1, 0]), Buffer.alloc(4000, 1)]);
    const before = await harness.listBlobs();
    const failures = await counter('files_upload_failures_total');
    const refused = await upload(app, alice.token, elf, { filename: 'cat.png', type: 'image/png' });
    assert.match(assertProblem(refused, 415, 'FILE_TYPE_NOT_ALLOWED').detail, /application\/x-elf/);
    const pdfAsImage = await upload(app, alice.token, Buffer.from('%PDF-1.4\n%…\n'), {
      type: 'image/png',
      purpose: 'image',
    });
    assertProblem(pdfAsImage, 415, 'FILE_TYPE_NOT_ALLOWED');
    assert.deepEqual(await harness.listBlobs(), before);
    assert.equal(await counter('files_upload_failures_total'), failures + 2);
  });

  test('empty, missing and non-multipart uploads are refused; 401 without credentials', async () => {
    const alice = await createUser(app);
    assertProblem(await upload(app, alice.token, Buffer.alloc(0), { type: 'text/plain' }), 422, 'VALIDATION_FAILED');
    const fieldsOnly = await multipart([{ name: 'note', value: 'no file here' }]);
    const missing = await app.inject({
      method: 'POST',
      url: '/api/files',
      payload: fieldsOnly.payload,
      headers: { ...fieldsOnly.headers, authorization: `Bearer ${alice.token}` },
    });
    assert.equal(assertProblem(missing, 422, 'VALIDATION_FAILED').errors?.[0]?.field, 'body.file');
    assertProblem(await as(app, alice)('POST', '/api/files', { file: 'x' }), 415, 'UNSUPPORTED_MEDIA_TYPE');
    assertProblem(await upload(app, null, text(10)), 401, 'UNAUTHORIZED');
    assertProblem(await upload(app, alice.token, text(10), { purpose: 'nope' }), 422, 'VALIDATION_FAILED');
  });

  test('a file over FILES_MAX_BYTES is cut off with 413 and leaves nothing behind', async () => {
    const alice = await createUser(app);
    const before = await harness.listBlobs();
    const res = await upload(app, alice.token, text(MAX_BYTES + 200_000), { type: 'text/plain' });
    assertProblem(res, 413, 'FILE_TOO_LARGE');
    assert.equal(res.headers.connection, 'close');
    assert.deepEqual(await harness.listBlobs(), before);
    const exact = await upload(app, alice.token, text(MAX_BYTES), { type: 'text/plain' });
    assert.equal(exact.statusCode, 201);
  });

  test('FILES_QUOTA_BYTES: 413 with the remaining quota; deleting frees it', async () => {
    const bob = await createUser(app);
    const first = (await upload(app, bob.token, text(MAX_BYTES), { type: 'text/plain' })).json();
    assert.equal((await upload(app, bob.token, text(MAX_BYTES), { type: 'text/plain' })).statusCode, 201);
    const over = await upload(app, bob.token, text(600_000), { type: 'text/plain' });
    assert.match(assertProblem(over, 413, 'QUOTA_EXCEEDED').detail, /500000 bytes remain/);
    assert.equal(over.headers['files-quota-remaining'], '500000');
    assert.equal((await as(app, bob)('DELETE', `/api/files/${first.id}`)).statusCode, 204);
    assert.equal((await upload(app, bob.token, text(600_000), { type: 'text/plain' })).statusCode, 201);
  });

  test('an oversized upload is answered 413 before the client has sent it all, and the connection closed', {
    timeout: 15_000,
  }, async () => {
    const alice = await createUser(app);
    const body = await multipart([
      { name: 'file', value: text(MAX_BYTES * 3), filename: 'big.txt', type: 'text/plain' },
    ]);
    const request = await openUpload(alice.token, body);
    const answered = new Promise<IncomingMessage>((resolve) => request.once('response', resolve));
    // Past the limit, but far from the end of the body, which is never sent.
    request.write(body.payload.subarray(0, MAX_BYTES + 100_000));
    const response = await answered;
    assert.equal(response.statusCode, 413);
    assert.equal(response.headers.connection, 'close');
    const problem = JSON.parse(await readAll(response));
    assert.equal(problem.code, 'FILE_TOO_LARGE');
    await new Promise((resolve) => request.socket?.once('close', resolve) ?? resolve(undefined));
    assert.equal(request.socket?.destroyed ?? true, true);
  });

  test('a client cut off mid-upload leaves no file and no blob', async () => {
    const alice = await createUser(app);
    const before = await harness.listBlobs();
    const body = await multipart([{ name: 'file', value: text(800_000), filename: 'big.txt', type: 'text/plain' }]);
    const request = await openUpload(alice.token, body);
    request.write(body.payload.subarray(0, 400_000));
    const filesOfAlice = () => app.db.selectFrom('files').select('status').where('owner_id', '=', alice.id).execute();
    await waitFor(async () => (await filesOfAlice()).length === 1);
    request.destroy();
    await waitFor(async () => (await filesOfAlice()).length === 0);
    assert.deepEqual(await harness.listBlobs(), before);
  });

  /** Starts an upload over a real socket, with the full body's length declared, sending nothing yet. */
  async function openUpload(token: string, body: { payload: Buffer; headers: Record<string, string> }) {
    if (!app.server.listening) await app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = app.server.address() as AddressInfo;
    const request = httpRequest({
      host: '127.0.0.1',
      port,
      method: 'POST',
      path: '/api/files',
      headers: { ...body.headers, 'content-length': body.payload.length, authorization: `Bearer ${token}` },
    });
    request.on('error', () => {});
    request.flushHeaders();
    return request;
  }

  async function readAll(stream: IncomingMessage): Promise<string> {
    let all = '';
    for await (const chunk of stream) all += chunk;
    return all;
  }

  async function waitFor(condition: () => Promise<boolean>) {
    const deadline = Date.now() + 10_000;
    while (!(await condition())) {
      if (Date.now() > deadline) assert.fail('condition not met within 10 s');
      await sleep(20);
    }
  }
}

import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after } from 'node:test';
import { CreateBucketCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import S3rver from 's3rver';
import sharp from 'sharp';

export const MAX_BYTES = 1_000_000;
export const QUOTA_BYTES = 2_500_000;
export const NO_SUCH = '00000000-0000-4000-8000-000000000000';

export const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** What the shared suite's parts get: the app under test, its driver, and a /metrics reader. */
export interface SuiteContext {
  app: FastifyInstance;
  harness: DriverHarness;
  counter(name: string): Promise<number>;
}

/** A storage driver under test: the app environment that selects it, and a view of what it holds. */
export interface DriverHarness {
  name: 'local' | 's3';
  env: Record<string, string>;
  /** Every blob key the store holds, including a local write still in `.incoming`. */
  listBlobs(): Promise<string[]>;
}

function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export function localHarness(): DriverHarness {
  const dir = tempDir('gw-files-');
  return {
    name: 'local',
    env: {
      STORAGE_DRIVER: 'local',
      STORAGE_LOCAL_DIR: dir,
      FILES_LINK_SECRET: 'a-test-secret-of-at-least-32-characters',
    },
    listBlobs: async () =>
      (readdirSync(dir, { recursive: true, withFileTypes: true }) as import('node:fs').Dirent[])
        .filter((entry) => entry.isFile())
        .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
        .sort(),
  };
}

/** A real S3-compatible server (s3rver) on a loopback ephemeral port, with one bucket, for the file. */
export async function s3Harness(): Promise<DriverHarness> {
  const server = new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: tempDir('gw-s3rver-') });
  const { port } = (await server.run()) as { port: number };
  after(() => server.close());
  const endpoint = `http://127.0.0.1:${port}`;
  const bucket = 'groundwork-files';
  const client = new S3Client({
    endpoint,
    region: 'us-east-1',
    forcePathStyle: true,
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  });
  after(() => client.destroy());
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    name: 's3',
    env: {
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: endpoint,
      S3_REGION: 'us-east-1',
      S3_BUCKET: bucket,
      S3_ACCESS_KEY_ID: 'S3RVER',
      S3_SECRET_ACCESS_KEY: 'S3RVER',
      S3_FORCE_PATH_STYLE: 'true',
    },
    listBlobs: async () => {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
      return (listed.Contents ?? []).map((object) => object.Key ?? '').sort();
    },
  };
}

/** A multipart/form-data body, serialised by the platform's own FormData encoder. */
export async function multipart(
  parts: Array<{ name: string; value: Uint8Array | string; filename?: string; type?: string }>,
): Promise<{ payload: Buffer; headers: Record<string, string> }> {
  const form = new FormData();
  for (const part of parts) {
    if (part.filename === undefined) form.append(part.name, String(part.value));
    else form.append(part.name, new Blob([part.value], { type: part.type ?? '' }), part.filename);
  }
  const encoded = new Response(form);
  return {
    payload: Buffer.from(await encoded.arrayBuffer()),
    headers: { 'content-type': encoded.headers.get('content-type') ?? '' },
  };
}

/** Uploads `bytes` as the one file of a multipart request. */
export async function upload(
  app: FastifyInstance,
  token: string | null,
  bytes: Uint8Array,
  options: { filename?: string; type?: string; purpose?: string } = {},
): Promise<LightMyRequestResponse> {
  const body = await multipart([
    {
      name: 'file',
      value: bytes,
      filename: options.filename ?? 'file.bin',
      type: options.type ?? 'application/octet-stream',
    },
  ]);
  return app.inject({
    method: 'POST',
    url: `/api/files${options.purpose ? `?purpose=${options.purpose}` : ''}`,
    payload: body.payload,
    headers: { ...body.headers, ...(token ? { authorization: `Bearer ${token}` } : {}) },
  });
}

/** `size` bytes of text (lines that differ, so ranges of it can be told apart). */
export function text(size: number): Buffer {
  const lines: string[] = [];
  let length = 0;
  for (let n = 0; length < size; n += 1) {
    const line = `line ${n} of a test file\n`;
    lines.push(line);
    length += line.length;
  }
  return Buffer.from(lines.join('')).subarray(0, size);
}

/** A JPEG `width`×`height` carrying EXIF with a GPS position, as a phone writes it. */
export function photo(width: number, height: number): Promise<Buffer> {
  return sharp({ create: { width, height, channels: 3, background: { r: 200, g: 80, b: 40 } } })
    .jpeg()
    .withExif({ IFD0: { Make: 'TestPhone' }, IFD3: { GPSLatitudeRef: 'N', GPSLatitude: '48/1 51/1 0/1' } })
    .toBuffer();
}

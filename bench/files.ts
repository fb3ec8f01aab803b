import { spawn } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { startServer, withPeakRss } from './processes.ts';
import type { Scenario } from './scenarios.ts';

/** The files module's load: 1 MB uploads and downloads (req/s × 1 MB = MB/s), and one 100 MB upload's memory. */

const MB = 2 ** 20;
const BOUNDARY = 'groundwork-bench-boundary';

/** A multipart body carrying one text file of `size` bytes (text: every purpose accepts it). */
function multipartBody(size: number): Buffer {
  return Buffer.concat([
    Buffer.from(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="file"; filename="bench.txt"\r\nContent-Type: text/plain\r\n\r\n`,
    ),
    Buffer.alloc(size, 'groundwork bench line\n'),
    Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
  ]);
}

const multipartHeaders = (token: string) => ({
  authorization: `Bearer ${token}`,
  'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
});

export const FILE_SCENARIOS: Scenario[] = [
  {
    name: 'files: upload 1 MB',
    baseline: 'hello',
    build: async ({ login }) => {
      const token = await login(1);
      return {
        requests: [{ method: 'POST', path: '/api/files', headers: multipartHeaders(token), body: multipartBody(MB) }],
      };
    },
  },
  {
    name: 'files: download 1 MB',
    baseline: 'hello',
    build: async ({ url, login }) => {
      const token = await login(1);
      const res = await fetch(`${url}/api/files`, {
        method: 'POST',
        headers: multipartHeaders(token),
        body: multipartBody(MB),
      });
      if (res.status !== 201) throw new Error(`bench upload failed: ${res.status} ${await res.text()}`);
      const { id } = (await res.json()) as { id: string };
      return {
        requests: [{ method: 'GET', path: `/api/files/${id}/content`, headers: { authorization: `Bearer ${token}` } }],
      };
    },
  },
];

export interface LargeUploadResult {
  megabytes: number;
  seconds: number;
  rssBeforeMb: number;
  peakRssMb: number;
  rssGrowthMb: number;
}

/**
 * One 100 MB upload's effect on the service's resident memory, on `driver`: a service of its own
 * (for s3, talking to an s3rver process on loopback), warmed by a 10 MB upload so one-time
 * allocations (modules loaded, pools filled) are not counted, then sampled while the upload streams.
 */
export async function measureLargeUpload(
  driver: 'local' | 's3',
  env: Record<string, string>,
  filesDir: string,
  login: (url: string, i: number) => Promise<string>,
): Promise<LargeUploadResult> {
  const s3 = driver === 's3' ? await startS3rver(join(filesDir, 's3rver')) : undefined;
  const service = await startServer(
    'src/server.ts',
    { ...env, ...(s3 ? s3.env : { STORAGE_DRIVER: 'local', STORAGE_LOCAL_DIR: join(filesDir, 'large') }) },
    '/health/ready',
  );
  try {
    const token = await login(service.url, 2);
    await streamUpload(service.url, token, 10);
    const before = await withPeakRss(service.pid, Promise.resolve());
    const megabytes = 100;
    const started = performance.now();
    const { result, peakRssBytes } = await withPeakRss(service.pid, streamUpload(service.url, token, megabytes));
    if (result !== 201) throw new Error(`large upload answered ${result}`);
    const rssBeforeMb = before.peakRssBytes / MB;
    return {
      megabytes,
      seconds: (performance.now() - started) / 1000,
      rssBeforeMb,
      peakRssMb: peakRssBytes / MB,
      rssGrowthMb: peakRssBytes / MB - rssBeforeMb,
    };
  } finally {
    await service.stop();
    await s3?.stop();
  }
}

/** s3rver in a process of its own, with one bucket, and the service settings that point at it. */
async function startS3rver(directory: string) {
  mkdirSync(directory, { recursive: true });
  const script = `const S3rver = require('s3rver');
new S3rver({ address: '127.0.0.1', port: 0, silent: true, directory: ${JSON.stringify(directory)} })
  .run().then(({ port }) => console.log(port));`;
  const child = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<string>((resolve) =>
    child.stdout.once('data', (data) => resolve(String(data).trim())),
  );
  const endpoint = `http://127.0.0.1:${port}`;
  const credentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
  const client = new S3Client({ endpoint, region: 'us-east-1', forcePathStyle: true, credentials });
  await client.send(new CreateBucketCommand({ Bucket: 'bench-files' }));
  client.destroy();
  return {
    env: {
      STORAGE_DRIVER: 's3',
      S3_ENDPOINT: endpoint,
      S3_BUCKET: 'bench-files',
      S3_ACCESS_KEY_ID: credentials.accessKeyId,
      S3_SECRET_ACCESS_KEY: credentials.secretAccessKey,
      S3_FORCE_PATH_STYLE: 'true',
    },
    stop: async () => {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

/** Streams a `megabytes` upload from this process, generated chunk by chunk, never whole here either. */
function streamUpload(url: string, token: string, megabytes: number): Promise<number> {
  const body = multipartBody(0);
  const head = body.subarray(0, body.indexOf('\r\n\r\n') + 4);
  const tail = body.subarray(head.length);
  const chunk = Buffer.alloc(MB, 'groundwork bench line\n');
  return new Promise((resolve, reject) => {
    const req = request(`${url}/api/files`, {
      method: 'POST',
      headers: { ...multipartHeaders(token), 'content-length': head.length + megabytes * MB + tail.length },
    });
    req.on('response', (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    let sent = 0;
    const write = () => {
      while (sent < megabytes) {
        sent += 1;
        if (!req.write(chunk)) return void req.once('drain', write);
      }
      req.end(tail);
    };
    req.write(head);
    write();
  });
}

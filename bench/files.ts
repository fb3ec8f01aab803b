import { request } from 'node:http';
import { withPeakRss } from './processes.ts';
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
 * Streams one `megabytes` upload to the service from this process (generated chunk by chunk, never
 * whole here either) and reports how much the service's resident memory grew meanwhile.
 */
export async function measureLargeUpload(url: string, pid: number, token: string, megabytes = 100) {
  const before = await withPeakRss(pid, Promise.resolve());
  const started = performance.now();
  const { result, peakRssBytes } = await withPeakRss(pid, streamUpload(url, token, megabytes));
  if (result !== 201) throw new Error(`large upload answered ${result}`);
  const rssBeforeMb = before.peakRssBytes / MB;
  return {
    megabytes,
    seconds: (performance.now() - started) / 1000,
    rssBeforeMb,
    peakRssMb: peakRssBytes / MB,
    rssGrowthMb: peakRssBytes / MB - rssBeforeMb,
  } satisfies LargeUploadResult;
}

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

import { describe } from 'node:test';
import { buildTestApp } from '../../helpers/app.ts';
import { downloadTests } from './suite-downloads.ts';
import { uploadTests } from './suite-uploads.ts';
import { type DriverHarness, MAX_BYTES, QUOTA_BYTES } from './support.ts';

/** The HTTP behaviour every storage driver must show; each driver's test file runs it. */
export async function filesSuite(harness: DriverHarness) {
  const app = await buildTestApp({
    ...harness.env,
    FILES_MAX_BYTES: String(MAX_BYTES),
    FILES_QUOTA_BYTES: String(QUOTA_BYTES),
  });
  /** A metric of /metrics, summed over its label sets. */
  const counter = async (name: string) => {
    const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
    const series = metrics.matchAll(new RegExp(`^${name}(?:\\{[^}]*\\})? (\\S+)$`, 'gm'));
    return [...series].reduce((sum, match) => sum + Number(match[1]), 0);
  };
  describe(`files on ${harness.name}`, () => {
    downloadTests({ app, harness, counter });
    uploadTests({ app, harness, counter });
  });
  return app;
}

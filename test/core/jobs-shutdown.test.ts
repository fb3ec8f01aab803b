import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';
import { defineJob } from '../../src/core/jobs/index.ts';
import { testEnv } from '../helpers/app.ts';

const finished: number[] = [];
const work = defineJob<{ ms: number }>(
  'test.shutdown-work',
  async ({ ms }, { signal }) => {
    await sleep(ms, undefined, { signal });
    finished.push(ms);
  },
  { concurrency: 2, retryDelaySeconds: 1 },
);

test('closing lets a running job finish, and hands one past SHUTDOWN_TIMEOUT_MS back to the queue', async () => {
  // The second app must find the first one's jobs: a database that outlives the first app.
  const dir = mkdtempSync(join(tmpdir(), 'gw-jobs-'));
  const env = await testEnv({ SHUTDOWN_TIMEOUT_MS: '1500', PGLITE_DATA_DIR: dir });
  const start = async () => {
    const app = await buildApp(loadConfig(env));
    app.jobs.register(work);
    await app.ready();
    return app;
  };
  try {
    const first = await start();
    const short = await first.jobs.enqueue(first.db, work, { ms: 400 });
    const long = await first.jobs.enqueue(first.db, work, { ms: 20_000 });
    const running = async () =>
      (await sql<{ n: number }>`select count(*)::int as n from pgboss.job where state = 'active'`.execute(first.db))
        .rows[0]?.n;
    while ((await running()) !== 2) await sleep(20);

    const closing = Date.now();
    await first.close();
    const took = Date.now() - closing;
    assert.ok(took < 2_500, `closed in ${took} ms`);
    assert.deepEqual(finished, [400]);

    const second = await start();
    try {
      const states = await sql<{ id: string; state: string; output: { message?: string } | null }>`
        select id, state::text as state, output from pgboss.job where name = 'test.shutdown-work'`.execute(second.db);
      const byId = new Map(states.rows.map((row) => [row.id, row]));
      assert.equal(byId.get(short as string)?.state, 'completed');
      // Handed back: waiting for its next attempt (or already running it here), not lost or dead.
      assert.match(byId.get(long as string)?.state ?? '', /^(retry|active)$/);
    } finally {
      await second.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

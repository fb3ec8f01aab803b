import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { defineJob } from '../../src/core/jobs/index.ts';
import { JOBS_SCHEMA } from '../../src/core/jobs/plugin.ts';
import { buildTestApp, freshDatabaseUrl } from '../helpers/app.ts';

/**
 * A cron schedule runs once per tick across instances: two apps on one PostgreSQL database both
 * declare the same every-minute schedule and both look for due ticks every second; a minute
 * boundary passes, and exactly one job is sent for it, run once, by one of them. (pg-boss's
 * resolution is a minute, so this waits for one real boundary: up to about 70 s.)
 */

const skip = process.env.TEST_DATABASE_URL
  ? false
  : 'needs a PostgreSQL server (TEST_DATABASE_URL): two instances must share one database';

const runs: Array<{ jobId: string; instance: string; at: number }> = [];
const instanceNames = new WeakMap<FastifyInstance, string>();
const tick = defineJob<Record<string, never>>('test.tick', async (_payload, { app, jobId }) => {
  runs.push({ jobId, instance: instanceNames.get(app) ?? '?', at: Date.now() });
});

async function instance(name: string, env: Record<string, string>) {
  const app = await buildTestApp(
    { ...env, JOBS_CRON_CHECK_SECONDS: '1' },
    {
      register: (app) => {
        instanceNames.set(app, name);
        app.jobs.register(tick);
        app.jobs.schedule(tick, '* * * * *', {});
      },
    },
  );
  return app;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test('two instances sharing one database send and run each cron tick once', { skip, timeout: 120_000 }, async (t) => {
  const databaseUrl = (await freshDatabaseUrl()) as string;
  const a = await instance('a', { DATABASE_URL: databaseUrl });
  const b = await instance('b', { DATABASE_URL: databaseUrl, MIGRATE_ON_START: 'false' });

  // Both are up: the next minute boundary is a tick both of them are watching for.
  const boundary = Math.ceil((Date.now() + 10_000) / 60_000) * 60_000;
  t.diagnostic(`waiting ${Math.round((boundary - Date.now()) / 1000)} s for the minute boundary`);
  await sleep(boundary - Date.now());
  const deadline = boundary + 30_000;
  while (Date.now() < deadline && !runs.some((run) => run.at >= boundary)) await sleep(250);
  // Long enough for a duplicate, had either instance sent one, to be picked up and run too.
  await sleep(5_000);
  await Promise.all([a.jobs.idle(), b.jobs.idle()]);

  const afterBoundary = runs.filter((run) => run.at >= boundary);
  assert.equal(afterBoundary.length, 1, JSON.stringify(runs));
  const sentAt = afterBoundary[0] as { at: number; instance: string };
  t.diagnostic(`the tick ran on instance ${sentAt.instance}, ${sentAt.at - boundary} ms after the boundary`);

  // The queue agrees: one job per minute, each run exactly once.
  const { rows } = await sql<{ minute: Date; jobs: number }>`
    select date_trunc('minute', created_on) as minute, count(*)::int as jobs
    from ${sql.table(`${JOBS_SCHEMA}.job`)} where name = ${tick.name} group by 1 order by 1`.execute(a.db);
  assert.ok(rows.length >= 1);
  for (const row of rows) assert.equal(row.jobs, 1, `minute ${row.minute.toISOString()}: ${row.jobs} jobs`);
  assert.equal(new Set(runs.map((run) => run.jobId)).size, runs.length, 'a job ran twice');
  assert.equal(runs.length, rows.length);
});

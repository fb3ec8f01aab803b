import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { sql } from 'kysely';
import { defineJob } from '../../src/core/jobs/index.ts';
import { makeAdmin } from '../../src/modules/auth/admin/admin-service.ts';
import { buildTestApp } from '../helpers/app.ts';
import { assertProblem } from '../helpers/problem.ts';
import { bearerLogin, bearerUser, register } from '../modules/auth/support.ts';

/** Polls `check` until it returns a value (not undefined), for at most `ms`. */
async function eventually<T>(check: () => Promise<T | undefined> | T | undefined, ms = 15_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > until) throw new Error('condition not met in time');
    await sleep(50);
  }
}

const ran: string[] = [];
const recorded = defineJob<{ tag: string }>('test.recorded', async ({ tag }) => {
  ran.push(tag);
});
let flakyShouldFail = true;
const flaky = defineJob<{ tag: string }>(
  'test.flaky',
  async () => {
    if (flakyShouldFail) throw new Error('the remote said no');
  },
  { retryLimit: 1, retryDelaySeconds: 1 },
);
const slow = defineJob<{ ms: number }>(
  'test.slow',
  async ({ ms }, { signal }) => {
    running++;
    maxRunning = Math.max(maxRunning, running);
    try {
      await sleep(ms, undefined, { signal });
    } finally {
      running--;
    }
  },
  { concurrency: 2, timeoutSeconds: 1, retryLimit: 0 },
);
let running = 0;
let maxRunning = 0;

const app = await buildTestApp({}, { register: (app) => app.jobs.register(recorded, flaky, slow) });

async function stateOf(id: string): Promise<string> {
  const { rows } = await sql<{
    state: string;
  }>`select state::text as state from pgboss.job where id = ${id}::uuid`.execute(app.db);
  return rows[0]?.state ?? 'missing';
}

async function adminHeaders() {
  const account = await register(app);
  assert.equal(await makeAdmin(app.db, account.email), 'promoted');
  const tokens = await bearerLogin(app, account);
  return { authorization: `Bearer ${tokens.accessToken}` };
}

test('a job enqueued in a committed transaction runs; one in a rolled-back transaction never exists', async () => {
  const kept = randomUUID();
  const dropped = randomUUID();
  const id = await app.db.transaction().execute((trx) => app.jobs.enqueue(trx, recorded, { tag: kept }));
  assert.ok(id);
  await assert.rejects(
    app.db.transaction().execute(async (trx) => {
      await app.jobs.enqueue(trx, recorded, { tag: dropped });
      throw new Error('change refused');
    }),
    /change refused/,
  );
  await eventually(() => (ran.includes(kept) ? true : undefined));
  assert.equal(
    await eventually(async () => ((await stateOf(id)) === 'completed' ? 'completed' : undefined)),
    'completed',
  );
  const { rows } = await sql<{
    n: number;
  }>`select count(*)::int as n from pgboss.job where data->>'tag' = ${dropped}`.execute(app.db);
  assert.equal(rows[0]?.n, 0);
  assert.ok(!ran.includes(dropped));
});

test('a failing job is retried with backoff, then failed; admins list it and put it back', async () => {
  const headers = await adminHeaders();
  const id = await app.jobs.enqueue(app.db, flaky, { tag: 'x' });
  assert.ok(id);
  await eventually(async () => ((await stateOf(id)) === 'failed' ? true : undefined));

  const list = await app.inject({ method: 'GET', url: '/api/admin/jobs?state=failed', headers });
  assert.equal(list.statusCode, 200);
  const item = list.json().items.find((job: { id: string }) => job.id === id);
  assert.deepEqual(
    { ...item, createdAt: undefined, startedAt: undefined, finishedAt: undefined },
    {
      id,
      queue: 'test.flaky',
      state: 'failed',
      payload: { tag: 'x' },
      error: 'the remote said no',
      attempts: 2,
      retryLimit: 1,
      createdAt: undefined,
      startedAt: undefined,
      finishedAt: undefined,
    },
  );

  // Another state's job cannot be "retried"; an unknown id is a 404.
  const done = await app.jobs.enqueue(app.db, recorded, { tag: randomUUID() });
  await eventually(async () => ((await stateOf(done as string)) === 'completed' ? true : undefined));
  assertProblem(
    await app.inject({ method: 'POST', url: `/api/admin/jobs/${done}/retry`, headers }),
    409,
    'JOB_NOT_FAILED',
  );
  assertProblem(
    await app.inject({ method: 'POST', url: `/api/admin/jobs/${randomUUID()}/retry`, headers }),
    404,
    'JOB_NOT_FOUND',
  );

  flakyShouldFail = false;
  const retried = await app.inject({ method: 'POST', url: `/api/admin/jobs/${id}/retry`, headers });
  assert.equal(retried.statusCode, 200);
  assert.equal(retried.json().state, 'retry');
  await eventually(async () => ((await stateOf(id)) === 'completed' ? true : undefined));
});

test('the admin job routes need an admin (401, 403) and validate their input (422)', async () => {
  const user = await bearerUser(app);
  assertProblem(await app.inject({ method: 'GET', url: '/api/admin/jobs?state=failed' }), 401, 'UNAUTHORIZED');
  assertProblem(await app.inject({ method: 'GET', url: '/api/admin/jobs', headers: user.headers }), 403, 'FORBIDDEN');
  assertProblem(
    await app.inject({ method: 'POST', url: `/api/admin/jobs/${randomUUID()}/retry`, headers: user.headers }),
    403,
    'FORBIDDEN',
  );
  const headers = await adminHeaders();
  assertProblem(
    await app.inject({ method: 'GET', url: '/api/admin/jobs?state=dead', headers }),
    422,
    'VALIDATION_FAILED',
  );
  assertProblem(
    await app.inject({ method: 'GET', url: '/api/admin/jobs?cursor=abc', headers }),
    422,
    'VALIDATION_FAILED',
  );
  assertProblem(
    await app.inject({ method: 'POST', url: '/api/admin/jobs/nope/retry', headers }),
    422,
    'VALIDATION_FAILED',
  );
});

test('the job list pages newest first with a cursor', async () => {
  const headers = await adminHeaders();
  const ids = [];
  for (let i = 0; i < 3; i++) ids.push(await app.jobs.enqueue(app.db, recorded, { tag: `page-${i}` }));
  const first = await app.inject({ method: 'GET', url: '/api/admin/jobs?queue=test.recorded&limit=2', headers });
  assert.equal(first.statusCode, 200);
  const seen = first.json().items.map((job: { id: string }) => job.id);
  assert.equal(seen.length, 2);
  const rest = [];
  let cursor = first.json().nextCursor;
  while (cursor) {
    const page = await app.inject({
      method: 'GET',
      url: `/api/admin/jobs?queue=test.recorded&limit=2&cursor=${cursor}`,
      headers,
    });
    rest.push(...page.json().items.map((job: { id: string }) => job.id));
    cursor = page.json().nextCursor;
  }
  const all = [...seen, ...rest];
  assert.equal(new Set(all).size, all.length, 'no job twice');
  assert.deepEqual(all.slice(0, 3), [...ids].reverse());
});

test('a job runs at most `concurrency` at a time per instance, and one past its timeout fails', async () => {
  const ids = [];
  for (let i = 0; i < 5; i++) ids.push((await app.jobs.enqueue(app.db, slow, { ms: 300 })) as string);
  const overdue = (await app.jobs.enqueue(app.db, slow, { ms: 5_000 })) as string;
  // Readiness does not wait for a busy queue.
  const started = Date.now();
  assert.equal((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode, 200);
  assert.ok(Date.now() - started < 1_000);
  for (const id of ids) await eventually(async () => ((await stateOf(id)) === 'completed' ? true : undefined));
  assert.equal(maxRunning, 2);
  await eventually(async () => ((await stateOf(overdue)) === 'failed' ? true : undefined));

  const metrics = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  assert.match(metrics, /jobs_failures_total\{queue="test.slow"\} 1/);
  assert.match(metrics, /jobs_run_duration_seconds_count\{queue="test.slow",outcome="completed"\} 5/);
  assert.match(metrics, /jobs\{queue="test.slow",state="failed"\} 1/);
});

import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createDatabase } from '../src/db/database.ts';
import { benchDatabaseUrl, prepareDatabase } from './database.ts';
import { explainPlans, type PlanReport } from './explain.ts';
import { type FanoutResult, measureFanout } from './fanout.ts';
import { type LargeUploadResult, measureLargeUpload } from './files.ts';
import { type LoadResult, type LoadSettings, runLoad } from './load.ts';
import { startServer, withPeakRss } from './processes.ts';
import { type Row, toText, writeResults } from './report.ts';
import { type Baseline, SCENARIOS, type ScenarioContext } from './scenarios.ts';
import { LIVE_GAME, type LiveGameResult, measureLiveGame } from './scenarios-quiz.ts';
import { BENCH_PASSWORD, benchSlug, benchUsername, PLANS, type SeedPlan, type Size, seed } from './seed.ts';

/**
 * `npm run bench [-- --quick] [--size small|large|all] [--only <text>] [--fanout-only]`
 * Measures every scenario against the bare stack in the same run and reports ratios, because
 * absolute timings on a shared machine mean little. Never a pass/fail on time: only scenarios
 * with errors or non-2xx answers are failures.
 */
const { values: args } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    size: { type: 'string' },
    only: { type: 'string' },
    'fanout-only': { type: 'boolean', default: false },
  },
});

const serverUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const sizes: Size[] =
  args.size && args.size !== 'all' ? [args.size as Size] : args.quick ? ['small'] : ['small', 'large'];
for (const size of sizes) if (!(size in PLANS)) throw new Error(`unknown size ${size}; use small, large or all`);
const settings: LoadSettings = args.quick
  ? { connections: 50, warmupSeconds: 1, durationSeconds: 3 }
  : { connections: 50, warmupSeconds: 3, durationSeconds: 10 };
const scenarios = SCENARIOS.filter((s) => !args.only || s.name.includes(args.only));
const POOL_MAX = '10';

function freePort(): Promise<string> {
  return new Promise((resolve, reject) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address ? resolve(String(address.port)) : reject()));
    });
  });
}

async function measureBaselines(databaseUrl: string, plan: SeedPlan): Promise<Record<Baseline, LoadResult>> {
  const server = await startServer(
    'bench/baseline-server.ts',
    {
      PORT: await freePort(),
      DATABASE_URL: databaseUrl,
      DATABASE_POOL_MAX: POOL_MAX,
      NODE_ENV: 'production',
      // The same rows the blog serves: one article by its unique slug; the newest 20 off an index.
      BASELINE_ROW_SQL: 'select * from blog_articles where slug = $1',
      BASELINE_PAGE_SQL:
        'select id, slug, title, description, author_id, favorites_count, created_at, updated_at from blog_articles order by created_at desc, id desc limit 20',
    },
    '/ready',
  );
  try {
    const rows = Array.from({ length: 50 }, (_, k) => ({
      method: 'GET' as const,
      path: `/row/${benchSlug(1 + ((k * 7919) % plan.articles))}`,
    }));
    return {
      hello: await runLoad(server.url, { requests: [{ method: 'GET', path: '/hello' }] }, settings),
      row: await runLoad(server.url, { requests: rows }, settings),
      page: await runLoad(server.url, { requests: [{ method: 'GET', path: '/page' }] }, settings),
    };
  } finally {
    await server.stop();
  }
}

/** prom-client's event-loop histogram resets on every scrape: scrape before and after a scenario. */
async function eventLoopP99Ms(url: string): Promise<number | null> {
  const text = await (await fetch(`${url}/metrics`)).text();
  const match = /^nodejs_eventloop_lag_p99_seconds (\S+)$/m.exec(text);
  return match ? Number(match[1]) * 1000 : null;
}

const queryPlans: Record<string, PlanReport[]> = {};

/** Prints (and keeps for the report) the plans of the list queries on this size's data. */
async function showPlans(size: Size, databaseUrl: string): Promise<void> {
  const db = createDatabase({ kind: 'postgres', url: databaseUrl, poolMax: 1 });
  try {
    queryPlans[size] = await explainPlans(db);
  } finally {
    await db.destroy();
  }
  console.log(`[${size}] query plans (EXPLAIN):`);
  for (const report of queryPlans[size] ?? []) {
    const verdict = report.seqScans.length
      ? `SEQ SCAN on ${report.seqScans.join(', ')}`
      : 'big tables read through indexes';
    console.log(`  ${report.query}: ${verdict}\n    ${report.plan}`);
  }
}

const largeUploads: Record<string, LargeUploadResult> = {};

/** The service's environment as production runs it (src/server.ts, production options) on the bench database. */
function serviceEnv(databaseUrl: string): Record<string, string> {
  return {
    HOST: '127.0.0.1',
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_MAX: POOL_MAX,
    MIGRATE_ON_START: 'false',
    // The benchmark measures the service, not the limiters guarding it: its load comes from one
    // address, logging in many times a second.
    RATE_LIMIT_MAX: '1000000000',
    AUTH_LOGIN_IP_FREE_ATTEMPTS: '1000000000',
    AUTH_LOGIN_ACCOUNT_FREE_ATTEMPTS: '1000000000',
    // One instance on this machine: its local file folder is the only one (filesEnv picks s3 or local).
    STORAGE_LOCAL_SHARED: 'true',
  };
}

/** Uploaded files go to a folder of this run, removed afterwards; the quota must not stop the load. */
function filesEnv(filesDir: string): Record<string, string> {
  return {
    STORAGE_DRIVER: 'local',
    STORAGE_LOCAL_DIR: filesDir,
    FILES_MAX_BYTES: String(200 * 2 ** 20),
    FILES_QUOTA_BYTES: String(2 ** 50),
  };
}

async function startService(env: Record<string, string>) {
  return startServer('src/server.ts', { ...env, PORT: await freePort() }, '/health/ready');
}

/** Logs seeded user `i` in on the service at `url`; returns the access token. */
async function login(url: string, i: number) {
  const res = await fetch(`${url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ login: benchUsername(i), password: BENCH_PASSWORD }),
  });
  if (!res.ok) throw new Error(`bench log-in failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { accessToken: string }).accessToken;
}

const FANOUT = 'realtime fan-out';
let fanout: FanoutResult | undefined;

/** The realtime fan-out (bench/fanout.ts) on a service of its own, so its memory figures are its own. */
async function measureFanoutOn(size: Size): Promise<void> {
  const service = await startService(serviceEnv(benchDatabaseUrl(serverUrl, size)));
  try {
    fanout = await measureFanout(service, (i) => login(service.url, i), args.quick ? 200 : 1000);
  } finally {
    await service.stop();
  }
  const f = fanout;
  console.log(
    `[${size}] ${FANOUT}: ${f.clients} WebSocket clients, ${f.conversations} conversations, ${f.messages} messages: ` +
      `${f.deliveries}/${f.expectedDeliveries} delivered, p50 ${f.p50Ms.toFixed(1)} ms, p99 ${f.p99Ms.toFixed(1)} ms, ` +
      `max ${f.maxMs.toFixed(1)} ms; RSS ${f.rssBeforeMb.toFixed(0)} → ${f.rssAfterMb.toFixed(0)} MB, ` +
      `${f.rssPerConnectionKb.toFixed(1)} KB per connection`,
  );
}

let liveGame: LiveGameResult | undefined;

/** The quiz live game (bench/scenarios-quiz.ts): 500 players answering one question. */
async function measureLiveGameOn(size: Size): Promise<void> {
  const service = await startService(serviceEnv(benchDatabaseUrl(serverUrl, size)));
  try {
    liveGame = await measureLiveGame(service.url, (i) => login(service.url, i), 500);
  } finally {
    await service.stop();
  }
  const g = liveGame;
  console.log(
    `[${size}] ${LIVE_GAME}: ${g.players} players (+${g.duplicates} duplicates): ${g.accepted} accepted, ` +
      `${g.refusedDuplicates} refused, ${g.counted} counted, ended early: ${g.endedEarly}; ` +
      `ack p50 ${g.p50Ms.toFixed(1)} ms, p99 ${g.p99Ms.toFixed(1)} ms, max ${g.maxMs.toFixed(1)} ms; joins ${g.joinSeconds.toFixed(1)} s`,
  );
}

async function measureSize(size: Size): Promise<Row[]> {
  const plan = PLANS[size];
  const filesDir = mkdtempSync(join(tmpdir(), 'gw-bench-files-'));
  await prepareDatabase(serverUrl, size, plan, (client, log) => seed(client, plan, log));
  const databaseUrl = benchDatabaseUrl(serverUrl, size);
  await showPlans(size, databaseUrl);
  const baselines = await measureBaselines(databaseUrl, plan);
  const rows: Row[] = (Object.keys(baselines) as Baseline[]).map((name) => ({
    size,
    scenario: `baseline: ${name}`,
    baseline: name,
    ...baselines[name],
    peakRssMb: null,
    eventLoopP99Ms: null,
    vsBaseline: null,
    largeOverSmallP50: null,
    failed: baselines[name].errors + baselines[name].non2xx > 0,
  }));

  const env = { ...serviceEnv(databaseUrl), ...filesEnv(filesDir) };
  const service = await startService(env);
  try {
    const context: ScenarioContext = { url: service.url, plan, login: (i) => login(service.url, i) };
    for (const scenario of scenarios) {
      const request = await scenario.build(context);
      await eventLoopP99Ms(service.url);
      const { result, peakRssBytes } = await withPeakRss(service.pid, runLoad(service.url, request, settings));
      const baseline = baselines[scenario.baseline];
      rows.push({
        size,
        scenario: scenario.name,
        baseline: scenario.baseline,
        ...result,
        peakRssMb: peakRssBytes / 2 ** 20,
        eventLoopP99Ms: await eventLoopP99Ms(service.url),
        vsBaseline: result.requestsPerSecond / baseline.requestsPerSecond,
        largeOverSmallP50: null,
        failed: result.errors + result.non2xx > 0,
      });
      console.log(`[${size}] ${scenario.name}: ${result.requestsPerSecond.toFixed(0)} req/s, p99 ${result.p99Ms} ms`);
    }
  } finally {
    await service.stop();
  }
  try {
    if (!args.only || 'files: upload 100 MB'.includes(args.only)) {
      for (const driver of ['local', 's3'] as const) {
        const result = await measureLargeUpload(driver, { ...env, PORT: await freePort() }, filesDir, login);
        largeUploads[`${size}/${driver}`] = result;
        console.log(
          `[${size}] files: one 100 MB upload (${driver}) in ${result.seconds.toFixed(1)} s, service RSS ${result.rssBeforeMb.toFixed(0)} → ${result.peakRssMb.toFixed(0)} MB (growth ${result.rssGrowthMb.toFixed(0)} MB)`,
        );
      }
    }
  } finally {
    rmSync(filesDir, { recursive: true, force: true });
  }
  return rows;
}

const rows: Row[] = [];
for (const size of sizes) {
  if (!args['fanout-only']) rows.push(...(await measureSize(size)));
  // Fan-out needs 100 seeded users, not a large data set: once, on the small one.
  if (size === 'small' && (!args.only || FANOUT.includes(args.only))) {
    if (args['fanout-only'])
      await prepareDatabase(serverUrl, size, PLANS[size], (client, log) => seed(client, PLANS[size], log));
    await measureFanoutOn(size);
  }
  if (size === 'small' && !args['fanout-only'] && (!args.only || LIVE_GAME.includes(args.only)))
    await measureLiveGameOn(size);
}
for (const row of rows.filter((r) => r.size === 'large')) {
  const small = rows.find((r) => r.size === 'small' && r.scenario === row.scenario);
  if (small && small.p50Ms > 0) row.largeOverSmallP50 = row.p50Ms / small.p50Ms;
}

if (rows.length) console.log(`\n${toText(rows)}\n`);
const files = writeResults(rows, {
  date: new Date().toISOString(),
  node: process.version,
  settings,
  sizes: Object.fromEntries(sizes.map((s) => [s, PLANS[s]])),
  flat: scenarios.filter((s) => s.flat).map((s) => s.name),
  queryPlans,
  largeUploads,
  fanout,
  liveGame,
});
console.log(`written: ${files.join(', ')}`);
if (fanout && fanout.deliveries !== fanout.expectedDeliveries) {
  console.log(`FAILED ${FANOUT}: ${fanout.deliveries} deliveries, expected exactly ${fanout.expectedDeliveries}`);
  process.exitCode = 1;
}
if (liveGame && (liveGame.counted !== liveGame.players || liveGame.accepted !== liveGame.players)) {
  console.log(
    `FAILED ${LIVE_GAME}: ${liveGame.accepted} accepted, ${liveGame.counted} counted, expected ${liveGame.players}`,
  );
  process.exitCode = 1;
}
const failed = rows.filter((r) => r.failed);
if (failed.length) {
  console.log(`FAILED scenarios (errors or non-2xx): ${failed.map((r) => `${r.size}/${r.scenario}`).join(', ')}`);
  process.exitCode = 1;
}

import { randomBytes } from 'node:crypto';
import { after } from 'node:test';
import type { FastifyInstance } from 'fastify';
import pg from 'pg';
import { buildApp } from '../../src/app.ts';
import { loadConfig } from '../../src/config.ts';

// Apps must close before their databases are dropped (a forced drop under a live pool resets its
// connections mid-query), whatever order test files register their hooks in: one hook per file
// runs both lists in that order. It is registered when this helper is imported (at a file's top
// level, so on the file's root): registered on first use instead, a first use inside a test would
// tie it to that test, and apps built after that test would never close.
const closeApps: Array<() => Promise<unknown>> = [];
const dropDatabases: Array<() => Promise<unknown>> = [];
after(async () => {
  for (const close of closeApps) await close();
  for (const drop of dropDatabases) await drop();
});

/** Runs `close` when the test file ends, before the file's databases are dropped (e.g. a `db` handle). */
export function closeAtFileEnd(close: () => Promise<unknown>) {
  closeApps.push(close);
}

/**
 * A fresh database for one test file: in-memory PGlite by default, or, when `TEST_DATABASE_URL`
 * is set, a database of its own on that server, created here and dropped when the file ends.
 * Returns the `DATABASE_URL` to use (undefined for PGlite).
 */
export async function freshDatabaseUrl(): Promise<string | undefined> {
  const serverUrl = process.env.TEST_DATABASE_URL;
  if (!serverUrl) return undefined;
  const name = `gw_test_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  dropDatabases.push(async () => {
    const client = new pg.Client({ connectionString: serverUrl });
    await client.connect();
    await client.query(`drop database if exists ${name} with (force)`);
    await client.end();
  });
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

/** The environment a test app starts from; `overrides` wins. */
export async function testEnv(overrides: Record<string, string> = {}): Promise<Record<string, string>> {
  // A test that names its own database (e.g. one that is down) needs no fresh one.
  const databaseUrl = 'DATABASE_URL' in overrides ? undefined : await freshDatabaseUrl();
  return {
    NODE_ENV: 'test',
    PGLITE_DATA_DIR: 'memory',
    // Generous: tests that exercise the limiter lower it themselves.
    RATE_LIMIT_MAX: '100000',
    // Load shedding answers 503 when the event loop lags; on a busy CI machine running test files
    // in parallel it would shed test requests. The test that exercises it turns it back on.
    MAX_EVENT_LOOP_DELAY_MS: '0',
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    // Log-in throttling and rate-limit counters in a shared Redis outlive a run (and are shared by
    // every test file from 127.0.0.1): give each app its own keys.
    AUTH_LOGIN_THROTTLE_PREFIX: `gw:test:${randomBytes(6).toString('hex')}:login:`,
    RATE_LIMIT_PREFIX: `gw:test:${randomBytes(6).toString('hex')}:rate:`,
    ...overrides,
  };
}

export interface TestAppOptions {
  /**
   * Adds test-only routes or hooks before the app is ready (routes cannot be added after), e.g. a
   * route that throws, to exercise the error handler.
   */
  register?: (app: FastifyInstance) => void | Promise<void>;
}

/**
 * Builds the real app (same `buildApp` and options as production) on a fresh, migrated database,
 * and closes it when the test file ends.
 */
export async function buildTestApp(
  overrides: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<FastifyInstance> {
  const app = await buildApp(loadConfig(await testEnv(overrides)));
  closeApps.push(() => app.close());
  await options.register?.(app);
  await app.ready();
  return app;
}

import assert from 'node:assert/strict';
import { request } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { sql } from 'kysely';
import { buildTestApp, freshDatabaseUrl } from './helpers/app.ts';
import { startServer } from './helpers/server-process.ts';

test('closing the app lets an in-flight request finish, then refuses new connections', {
  timeout: 30_000,
}, async () => {
  const events: string[] = [];
  let entered!: () => void;
  const inFlight = new Promise<void>((resolve) => {
    entered = resolve;
  });
  const app = await buildTestApp(
    {},
    {
      register(app) {
        app.get('/test/slow', async () => {
          entered();
          await new Promise((resolve) => setTimeout(resolve, 300));
          events.push('handled');
          return { finished: true };
        });
      },
    },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  const base = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}`;

  // fetch keeps connections alive: close() must not wait for the client to drop this one.
  const request = fetch(`${base}/test/slow`).then(async (res) => ({
    status: res.status,
    connection: res.headers.get('connection'),
    body: await res.json(),
  }));
  // Fail, rather than wait forever, if the request is answered without reaching the handler.
  await Promise.race([inFlight, request.then((res) => assert.fail(`answered early: ${JSON.stringify(res)}`))]);
  const started = Date.now();
  await app.close();
  events.push('closed');
  const tookMs = Date.now() - started;

  assert.deepEqual(await request, { status: 200, connection: 'close', body: { finished: true } });
  assert.deepEqual(events, ['handled', 'closed'], 'close returned before the request was handled');
  assert.ok(tookMs < 2000, `close took ${tookMs} ms`);
  await assert.rejects(fetch(`${base}/health/live`), 'a new connection was accepted after close');
});

test('a handler whose client hung up still finishes its database work before the database closes', {
  timeout: 30_000,
}, async () => {
  let entered!: () => void;
  const inHandler = new Promise<void>((resolve) => {
    entered = resolve;
  });
  let outcome = 'unfinished';
  const app = await buildTestApp(
    {},
    {
      register(app) {
        app.get('/test/abandoned', async () => {
          entered();
          await new Promise((resolve) => setTimeout(resolve, 300));
          try {
            await app.db.selectNoFrom(sql<number>`1`.as('one')).execute();
            outcome = 'queried';
          } catch (error) {
            outcome = `failed: ${(error as Error).message}`;
          }
          return { finished: true };
        });
      },
    },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;

  const client = request({ host: '127.0.0.1', port, path: '/test/abandoned' });
  client.on('error', () => {}); // the hang-up below
  client.end();
  await inHandler;
  client.destroy(); // the client gives up: its connection closes while the handler runs on
  await app.close();

  assert.equal(outcome, 'queried');
});

test('a handler that never finishes holds close() for SHUTDOWN_TIMEOUT_MS at most', { timeout: 20_000 }, async () => {
  let entered!: () => void;
  const inHandler = new Promise<void>((resolve) => {
    entered = resolve;
  });
  const app = await buildTestApp(
    { SHUTDOWN_TIMEOUT_MS: '200' },
    {
      register(app) {
        app.get('/test/stuck', async () => {
          entered();
          await new Promise(() => {}); // never settles
        });
      },
    },
  );
  await app.listen({ host: '127.0.0.1', port: 0 });
  const { port } = app.server.address() as AddressInfo;
  const client = request({ host: '127.0.0.1', port, path: '/test/stuck' });
  client.on('error', () => {});
  client.end();
  await inHandler;
  client.destroy();
  await app.close(); // without the bound, this test would time out here
});

test('the server process starts, serves, and exits 0 promptly on SIGTERM', { timeout: 60_000 }, async () => {
  const databaseUrl = await freshDatabaseUrl();
  const server = startServer({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    PGLITE_DATA_DIR: 'memory',
    // A single instance: its file folder is the only one (the production guard asks to be told).
    STORAGE_LOCAL_SHARED: 'true',
    SHUTDOWN_TIMEOUT_MS: '5000',
    // Not what this test is about, and a busy machine's event-loop lag would shed its requests.
    MAX_EVENT_LOOP_DELAY_MS: '0',
    // Without a server, the embedded database, which production accepts only when told so.
    ...(databaseUrl ? { DATABASE_URL: databaseUrl } : { PGLITE_IN_PRODUCTION: 'true' }),
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
  });

  const address = await server.listening(30_000);
  const ready = await fetch(`${address}/health/ready`);
  assert.equal(ready.status, 200);

  const signalled = Date.now();
  server.child.kill('SIGTERM');
  const [code, signal] = await server.exited;
  const tookMs = Date.now() - signalled;
  assert.deepEqual({ code, signal }, { code: 0, signal: null }, JSON.stringify(server.output()));
  assert.ok(tookMs < 5000, `shutdown took ${tookMs} ms`);
  assert.match(server.output().stdout, /"signal":"SIGTERM".*"msg":"shutting down"/);
  assert.equal(server.output().stderr, '');
});

test('a misconfigured start exits 1 with a message naming the problem', { timeout: 30_000 }, async () => {
  const server = startServer({ PORT: 'abc', NODE_ENV: 'production' });
  const [code] = await server.exited;
  assert.equal(code, 1);
  assert.equal(server.output().stderr, 'Invalid configuration: PORT must be integer\n');
});

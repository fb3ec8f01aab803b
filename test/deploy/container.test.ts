import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { freshDatabaseUrl } from '../helpers/app.ts';
import { ROOT, readDockerfile } from './support.ts';

// What `docker build -f deploy/Dockerfile` and `docker run` would do, without a Docker engine: only the
// files the Dockerfile copies, production dependencies only (so a runtime import of a dev dependency
// fails here as it would in the image), the Dockerfile's environment, an unprivileged user, the
// Dockerfile's command. Every instruction is emulated or the test refuses it, so a Dockerfile change
// that this emulation does not cover fails here until it does.

const skip =
  process.env.TEST_DATABASE_URL && process.env.REDIS_URL
    ? false
    : 'needs PostgreSQL and Redis (TEST_DATABASE_URL and REDIS_URL); CI runs it in its PostgreSQL + Redis pass';

const APP = '/app';

/** Lays out the image's /app in `dir`, stage after stage, as the Dockerfile describes it. */
function buildImage(dir: string): string[] {
  const log: string[] = [];
  for (const stage of readDockerfile().stages) {
    for (const { keyword, args, flags } of stage.instructions) {
      const line = `${stage.name}: ${keyword} ${args.join(' ')}`;
      if (keyword === 'WORKDIR') {
        assert.equal(args[0], APP, line);
      } else if (keyword === 'COPY') {
        const [destination, ...sources] = [args.at(-1) as string, ...args.slice(0, -1)];
        const from = flags.find((flag) => flag.startsWith('--from='));
        for (const source of sources) {
          if (from) {
            // Another stage's /app is this same directory: what it produced must be there.
            assert.ok(source.startsWith(`${APP}/`), line);
            assert.ok(existsSync(join(dir, source.slice(APP.length + 1))), `${line}: ${source} was not produced`);
          } else {
            const target = join(dir, destination.endsWith('/') ? source : destination.replace(/^\.\//, ''));
            cpSync(fileURLToPath(new URL(source, ROOT)), target, { recursive: true });
          }
        }
      } else if (keyword === 'RUN' && /^npm ci\b/.test(args.join(' '))) {
        execFileSync('npm', args.slice(1), { cwd: dir, stdio: 'pipe' });
      } else if (keyword === 'RUN' && /^apt-get update && apt-get install .* tini /.test(`${args.join(' ')} `)) {
        // The init process: the test sends SIGTERM to Node itself, which is what tini forwards.
      } else if (
        keyword === 'RUN' &&
        args.join(' ') === `mkdir -p ${APP}/data/files && chown -R node:node ${APP}/data`
      ) {
        mkdirSync(join(dir, 'data', 'files'), { recursive: true });
      } else if (!['ENV', 'USER', 'EXPOSE', 'ENTRYPOINT', 'CMD', 'ARG'].includes(keyword)) {
        assert.fail(`the container smoke test cannot emulate "${line}": teach it, or change the Dockerfile`);
      }
      log.push(line);
    }
  }
  return log;
}

/** Runs `argv` in the image directory as the image would: its environment, an unprivileged user. */
function runInImage(dir: string, argv: string[], env: Record<string, string>) {
  const image = readDockerfile();
  assert.equal(image.user, 'node', 'the image runs as the unprivileged `node` user');
  // Here: nobody (when the tests run as root), else the unprivileged user running them.
  const user = process.getuid?.() === 0 ? { uid: 65534, gid: 65534 } : {};
  assert.equal(argv[0], 'node');
  return spawn(process.execPath, argv.slice(1), {
    cwd: dir,
    env: { PATH: process.env.PATH ?? '', ...image.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    ...user,
  });
}

test('the production image starts as an unprivileged user on PostgreSQL and Redis, serves, and stops on SIGTERM', {
  skip,
  timeout: 240_000,
}, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-image-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  chmodSync(dir, 0o755);
  buildImage(dir);

  // The lockfile marks what only development needs: none of it may be in the image.
  const lock = JSON.parse(readFileSync(join(dir, 'package-lock.json'), 'utf8')) as {
    packages: Record<string, { dev?: boolean }>;
  };
  const devOnly = Object.entries(lock.packages).filter(([path, entry]) => path && entry.dev);
  assert.ok(devOnly.length > 0);
  for (const [path] of devOnly) assert.ok(!existsSync(join(dir, path)), `${path} (development only) is in the image`);

  const databaseUrl = await freshDatabaseUrl();
  // Everything else as the platforms set it; PORT 0 and loopback so parallel runs never collide.
  const env = {
    DATABASE_URL: databaseUrl as string,
    REDIS_URL: process.env.REDIS_URL as string,
    MIGRATE_ON_START: 'false',
    // One instance: its file folder is the only one (the platforms use s3; the guard asks to be told).
    STORAGE_LOCAL_SHARED: 'true',
    HOST: '127.0.0.1',
    PORT: '0',
    MAX_EVENT_LOOP_DELAY_MS: '0',
  };

  // The platforms' pre-deploy step first, then the image's command.
  const migrate = runInImage(dir, ['node', 'src/db/cli.ts', 'migrate'], env);
  let migrateOutput = '';
  migrate.stdout.on('data', (chunk) => {
    migrateOutput += chunk;
  });
  migrate.stderr.on('data', (chunk) => {
    migrateOutput += chunk;
  });
  const [migrated] = await once(migrate, 'exit');
  assert.equal(migrated, 0, migrateOutput);
  assert.match(migrateOutput, /^applied: /);

  const server = runInImage(dir, readDockerfile().command, env);
  after(() => server.kill('SIGKILL'));
  let stdout = '';
  let stderr = '';
  server.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  server.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const exited = once(server, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;

  let base: string | undefined;
  for (const deadline = Date.now() + 60_000; !base; await new Promise((r) => setTimeout(r, 50))) {
    base = /Server listening at (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout)?.[1];
    if (server.exitCode !== null) assert.fail(`the server exited: ${stdout}${stderr}`);
    if (Date.now() > deadline) assert.fail(`the server did not start: ${stdout}${stderr}`);
  }

  const ready = await fetch(`${base}/health/ready`);
  assert.deepEqual(
    { status: ready.status, body: await ready.json() },
    { status: 200, body: { status: 'ok', checks: { database: 'ok', redis: 'ok' } } },
  );
  // A real request: the database behind it, through the whole stack.
  const articles = await fetch(`${base}/api/articles`);
  assert.deepEqual(
    { status: articles.status, body: await articles.json() },
    { status: 200, body: { articles: [], articlesCount: 0 } },
  );

  const signalled = Date.now();
  server.kill('SIGTERM');
  const [code, signal] = await exited;
  const tookMs = Date.now() - signalled;
  assert.deepEqual({ code, signal }, { code: 0, signal: null }, stdout + stderr);
  assert.ok(tookMs < Number(readDockerfile().env.SHUTDOWN_TIMEOUT_MS ?? 10_000), `shutdown took ${tookMs} ms`);
  assert.equal(stderr, '');
  assert.match(stdout, /"msg":"shutting down"/);
});

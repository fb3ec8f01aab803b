import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.ts';
import { productionProblems } from '../src/production-guard.ts';

const DATABASE_URL = 'postgres://app@db.internal:5432/groundwork';
const S3 = { STORAGE_DRIVER: 's3', S3_BUCKET: 'groundwork-files' };
const safe = { NODE_ENV: 'production', DATABASE_URL, PUBLIC_URL: 'https://api.example.com', ...S3 };

function problems(env: Record<string, string>): string[] {
  return productionProblems(loadConfig(env));
}

test('a production configuration with a database server and https URLs has no problems', () => {
  assert.deepEqual(problems(safe), []);
  assert.deepEqual(
    problems({ ...safe, APP_URL: 'https://app.example.com', OAUTH_POST_LOGIN_URL: 'https://app.example.com/in' }),
    [],
  );
});

test('outside production nothing is checked: the Quick start and the tests run on defaults', () => {
  assert.deepEqual(problems({}), []);
  assert.deepEqual(problems({ NODE_ENV: 'test', PUBLIC_URL: 'http://api.example.com' }), []);
});

test('production without DATABASE_URL is refused, unless the embedded database is chosen on purpose', () => {
  const [problem, ...rest] = problems({ NODE_ENV: 'production', PUBLIC_URL: 'https://api.example.com', ...S3 });
  assert.deepEqual(rest, []);
  assert.match(problem ?? '', /^DATABASE_URL is not set, so the embedded PGlite database would be used/);
  assert.match(problem ?? '', /PGLITE_IN_PRODUCTION=true/);
  assert.deepEqual(
    problems({ NODE_ENV: 'production', PUBLIC_URL: 'https://x.example', PGLITE_IN_PRODUCTION: 'true', ...S3 }),
    [],
  );
});

test('PUBLIC_URL on plain http to another host is refused while cookies are Secure', () => {
  assert.deepEqual(problems({ ...safe, PUBLIC_URL: 'http://api.example.com' }), [
    'PUBLIC_URL is http://api.example.com, plain http to another host: session cookies are Secure in production, ' +
      'so browsers would drop them, and OAuth providers require https redirect URIs. Use https://',
  ]);
  // Turning Secure off does not make plain http safe: it only changes why.
  assert.match(
    problems({ ...safe, PUBLIC_URL: 'http://10.0.0.5:3000', AUTH_COOKIE_SECURE: 'false' })[0] ?? '',
    /^PUBLIC_URL is http:\/\/10\.0\.0\.5:3000, plain http to another host: session cookies would cross the network unencrypted/,
  );
});

test('plain http to this machine is accepted: browsers keep Secure cookies on localhost', () => {
  for (const url of ['http://localhost:8080', 'http://127.0.0.1:3000', 'http://[::1]:3000', 'http://gw.localhost']) {
    assert.deepEqual(problems({ ...safe, PUBLIC_URL: url }), [], url);
  }
});

test('AUTH_COOKIE_SECURE=false behind https is refused: the cookie would also travel over http', () => {
  assert.deepEqual(problems({ ...safe, AUTH_COOKIE_SECURE: 'false' }), [
    'AUTH_COOKIE_SECURE is false: browsers would also send the session cookie of api.example.com over plain http. ' +
      'Leave it unset (Secure in production)',
  ]);
});

test('APP_URL and OAUTH_POST_LOGIN_URL on plain http are refused, each once, under its own name', () => {
  const found = problems({ ...safe, APP_URL: 'http://app.example.com' });
  assert.deepEqual(found, [
    'APP_URL is http://app.example.com, plain http to another host: the tokens it carries would be readable on the way. Use https://',
  ]);
  assert.deepEqual(
    problems({ ...safe, OAUTH_POST_LOGIN_URL: 'http://app.example.com/signed-in' }).map((p) => p.split(' ')[0]),
    ['OAUTH_POST_LOGIN_URL'],
  );
});

test('a URL setting that is only a scheme (a platform variable that expanded to nothing) is refused', () => {
  assert.deepEqual(problems({ ...safe, PUBLIC_URL: 'https://' }), ['PUBLIC_URL is "https:", which is not a URL']);
  assert.deepEqual(problems({ ...safe, APP_URL: 'https://' }), ['APP_URL is "https:", which is not a URL']);
});

test('every problem is reported at once', () => {
  const found = problems({
    NODE_ENV: 'production',
    PUBLIC_URL: 'http://api.example.com',
    APP_URL: 'http://app.example.com',
  });
  assert.deepEqual(
    found.map((p) => p.split(' ')[0]),
    ['DATABASE_URL', 'STORAGE_DRIVER', 'PUBLIC_URL', 'APP_URL'],
  );
});

test('local file storage is refused in production unless declared shared; tools that only migrate are not asked', () => {
  const local = { ...safe, STORAGE_DRIVER: 'local' };
  const [problem, ...rest] = problems(local);
  assert.deepEqual(rest, []);
  assert.match(problem ?? '', /^STORAGE_DRIVER is local, so uploaded files would live on this instance’s disk/);
  assert.match(problem ?? '', /STORAGE_DRIVER=s3/);
  assert.match(problem ?? '', /STORAGE_LOCAL_SHARED=true/);
  // The default driver is local: a production configuration that says nothing about storage is refused too.
  const { STORAGE_DRIVER: _driver, S3_BUCKET: _bucket, ...silent } = safe;
  assert.equal(problems(silent).length, 1);
  // One volume every instance mounts (the Compose stack), or a single instance: said on purpose.
  assert.deepEqual(problems({ ...local, STORAGE_LOCAL_SHARED: 'true' }), []);
  assert.deepEqual(productionProblems(loadConfig(local), 'tool'), []);
});

/** Runs an entry point with only `env`, outside the repo (no `.env`), and returns how it ended. */
async function run(script: string, args: string[], env: Record<string, string>) {
  const cwd = mkdtempSync(join(tmpdir(), 'gw-guard-'));
  try {
    const child = spawn(process.execPath, [fileURLToPath(new URL(script, import.meta.url)), ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const [code] = (await once(child, 'exit')) as [number | null];
    return { code, stderr };
  } finally {
    rmSync(cwd, { recursive: true, force: true });
  }
}

test('the server and the migration command refuse to start on an unsafe production setting, naming it', {
  timeout: 30_000,
}, async () => {
  const env = { NODE_ENV: 'production', PUBLIC_URL: 'http://api.example.com', PORT: '0' };
  for (const [script, args] of [
    ['../src/server.ts', []],
    ['../src/db/cli.ts', ['migrate']],
  ] as const) {
    const { code, stderr } = await run(script, [...args], env);
    assert.equal(code, 1, script);
    assert.match(
      stderr,
      /^Unsafe configuration for production: DATABASE_URL is not set.*; PUBLIC_URL is http:\/\/api\.example\.com/,
      script,
    );
    assert.equal(stderr.split('\n').length, 2, `one line, then the end: ${stderr}`);
  }
});

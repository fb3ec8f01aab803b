import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseEnv } from 'node:util';
import { ConfigError, loadConfig } from '../src/config.ts';

function configError(env: Record<string, string>): ConfigError {
  try {
    loadConfig(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${error}`);
    return error;
  }
  assert.fail('expected loadConfig to throw');
}

test('an empty environment gives defaults that start the service locally on the embedded database', () => {
  const config = loadConfig({});
  // The foundation's settings; modules test their own.
  const foundation = Object.fromEntries(
    Object.entries(config).filter(([key]) =>
      [
        'env',
        'host',
        'port',
        'logLevel',
        'trustProxy',
        'database',
        'migrateOnStart',
        'redisUrl',
        'corsOrigins',
        'bodyLimitBytes',
        'rateLimit',
        'maxEventLoopDelayMs',
        'shutdownTimeoutMs',
      ].includes(key),
    ),
  );
  assert.deepEqual(foundation, {
    env: 'development',
    host: '127.0.0.1',
    port: 3000,
    logLevel: 'info',
    trustProxy: false,
    database: { kind: 'pglite', dataDir: './data/pglite' },
    migrateOnStart: true,
    redisUrl: undefined,
    corsOrigins: [],
    bodyLimitBytes: 1_048_576,
    rateLimit: { max: 600, windowMs: 60_000, redisPrefix: 'gw:rate:' },
    maxEventLoopDelayMs: 1000,
    shutdownTimeoutMs: 10_000,
  });
});

test('reads only the environment it is given, never process.env behind its back', () => {
  const saved = process.env.PORT;
  process.env.PORT = '4567';
  try {
    assert.equal(loadConfig({}).port, 3000);
  } finally {
    if (saved === undefined) delete process.env.PORT;
    else process.env.PORT = saved;
  }
});

test('HOST is 127.0.0.1 without PORT, 0.0.0.0 when a platform gives PORT, and HOST wins over both', () => {
  assert.equal(loadConfig({}).host, '127.0.0.1');
  const platform = loadConfig({ PORT: '8080' });
  assert.equal(platform.host, '0.0.0.0');
  assert.equal(platform.port, 8080);
  assert.equal(loadConfig({ PORT: '8080', HOST: '::' }).host, '::');
  assert.equal(loadConfig({ HOST: '0.0.0.0' }).port, 3000);
});

test('values are parsed into their types', () => {
  const config = loadConfig({
    NODE_ENV: 'production',
    LOG_LEVEL: 'warn',
    TRUST_PROXY: 'true',
    DATABASE_URL: 'postgres://app:secret@db.internal:5432/groundwork',
    DATABASE_POOL_MAX: '25',
    MIGRATE_ON_START: 'false',
    REDIS_URL: 'rediss://cache.internal:6380',
    CORS_ORIGINS: ' https://app.example.com , https://admin.example.com,',
    BODY_LIMIT_BYTES: '2048',
    RATE_LIMIT_MAX: '50',
    RATE_LIMIT_WINDOW_MS: '5000',
    MAX_EVENT_LOOP_DELAY_MS: '0',
    SHUTDOWN_TIMEOUT_MS: '3000',
  });
  assert.equal(config.env, 'production');
  assert.equal(config.logLevel, 'warn');
  assert.equal(config.trustProxy, true);
  assert.deepEqual(config.database, {
    kind: 'postgres',
    url: 'postgres://app:secret@db.internal:5432/groundwork',
    poolMax: 25,
    preparedStatements: true,
  });
  assert.equal(config.migrateOnStart, false);
  assert.equal(config.redisUrl, 'rediss://cache.internal:6380');
  assert.deepEqual(config.corsOrigins, ['https://app.example.com', 'https://admin.example.com']);
  assert.equal(config.bodyLimitBytes, 2048);
  assert.deepEqual(config.rateLimit, { max: 50, windowMs: 5000, redisPrefix: 'gw:rate:' });
  assert.equal(config.maxEventLoopDelayMs, 0);
  assert.equal(config.shutdownTimeoutMs, 3000);
});

test('PGLITE_DATA_DIR=memory keeps the embedded database in memory; tests log nothing by default', () => {
  const config = loadConfig({ NODE_ENV: 'test', PGLITE_DATA_DIR: 'memory' });
  assert.deepEqual(config.database, { kind: 'pglite', dataDir: undefined });
  assert.equal(config.logLevel, 'silent');
});

test('a bad PORT is rejected with a message naming it', () => {
  assert.match(configError({ PORT: 'abc' }).message, /^Invalid configuration: PORT must be integer$/);
  assert.match(configError({ PORT: '70000' }).message, /PORT must be <= 65535/);
});

test('a bad NODE_ENV is rejected with the allowed values', () => {
  assert.equal(
    configError({ NODE_ENV: 'staging' }).message,
    'Invalid configuration: NODE_ENV must be one of: development, production, test',
  );
});

test('a DATABASE_URL that is not a PostgreSQL URL is rejected, naming the variable', () => {
  assert.match(configError({ DATABASE_URL: 'mysql://root@localhost/app' }).message, /DATABASE_URL must match pattern/);
});

test('every wrong variable is reported at once', () => {
  const { message } = configError({ PORT: 'abc', NODE_ENV: 'staging', REDIS_URL: 'localhost:6379' });
  assert.match(message, /PORT/);
  assert.match(message, /NODE_ENV/);
  assert.match(message, /REDIS_URL/);
});

test('other malformed values are rejected, naming the variable', () => {
  assert.match(configError({ MIGRATE_ON_START: 'sometimes' }).message, /MIGRATE_ON_START must be boolean/);
  assert.match(configError({ BODY_LIMIT_BYTES: '10' }).message, /BODY_LIMIT_BYTES must be >= 1024/);
  assert.match(configError({ LOG_LEVEL: 'loud' }).message, /LOG_LEVEL must be one of/);
  assert.equal(
    configError({ CORS_ORIGINS: 'https://ok.example.com,not a url' }).message,
    'Invalid configuration: CORS_ORIGINS has "not a url", which is not a URL',
  );
});

test('.env.example and the README document every variable the config reads', () => {
  const source = readFileSync(new URL('../src/config.ts', import.meta.url), 'utf8');
  const start = source.indexOf('const EnvSchema');
  const schema = source.slice(start, source.indexOf('});', start));
  const variables = [...schema.matchAll(/^\s+([A-Z][A-Z0-9_]+):/gm)].map((match) => match[1]);
  assert.ok(variables.length > 10, 'expected to find the variables of EnvSchema');
  const example = readFileSync(new URL('../.env.example', import.meta.url), 'utf8');
  const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');
  // A row of the README's table, and a line (possibly commented out) of .env.example, per variable.
  for (const name of variables) {
    assert.match(example, new RegExp(`^#? ?${name}=`, 'm'), `.env.example is missing ${name}`);
    assert.match(readme, new RegExp(`^\\| \`${name}\` \\|`, 'm'), `README's configuration table is missing ${name}`);
  }
});

test('.env.example shows the defaults: used as the environment, it configures exactly what an empty one does', () => {
  const example = parseEnv(readFileSync(new URL('../.env.example', import.meta.url), 'utf8'));
  assert.deepEqual(loadConfig(example), loadConfig({}));
});

test('with dotenv, a .env file in the working directory fills in what the environment does not set', () => {
  const dir = mkdtempSync(join(tmpdir(), 'gw-dotenv-'));
  const cwd = process.cwd();
  try {
    writeFileSync(
      join(dir, '.env'),
      'PORT=4000\nLOG_LEVEL=warn\nOAUTH_PROVIDERS=github\nOAUTH_GITHUB_CLIENT_ID=id-from-dotenv\nOAUTH_GITHUB_CLIENT_SECRET=s\n',
    );
    process.chdir(dir);
    const config = loadConfig({ LOG_LEVEL: 'error' }, { dotenv: true });
    assert.equal(config.port, 4000);
    assert.equal(config.logLevel, 'error', 'the real environment wins over .env');
    // Variables outside the schema (one set per OAuth provider) come from .env too.
    assert.equal(config.oauth.providers[0]?.clientId, 'id-from-dotenv');
    assert.equal(loadConfig({}).port, 3000, '.env is read only when asked');
  } finally {
    process.chdir(cwd);
    rmSync(dir, { recursive: true, force: true });
  }
});

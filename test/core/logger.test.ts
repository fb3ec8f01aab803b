import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { test } from 'node:test';
import Fastify, { type FastifyLoggerOptions } from 'fastify';
import { loadConfig } from '../../src/config.ts';
import { loggerOptions } from '../../src/core/logger.ts';

type LoggerOptions = FastifyLoggerOptions & { transport?: { target: string } };

/** Fastify's logger with the app's options, writing JSON lines into an array instead of stdout. */
function capture(env: Record<string, string>) {
  const lines: Record<string, unknown>[] = [];
  const { transport: _pretty, ...options } = loggerOptions(loadConfig(env)) as LoggerOptions;
  const stream = new Writable({
    write(chunk, _encoding, done) {
      lines.push(JSON.parse(String(chunk)));
      done();
    },
  });
  return { logger: Fastify({ logger: { ...options, stream } }).log, lines };
}

test('auth headers, cookies, passwords and tokens are redacted from logs', () => {
  const { logger, lines } = capture({ NODE_ENV: 'production' });
  logger.info(
    {
      headers: { authorization: 'Bearer abc.def', cookie: 'sid=s3cret', accept: 'application/json' },
      res: { statusCode: 200, headers: { 'set-cookie': 'sid=n3w' } },
      body: { email: 'a@example.com', password: 'hunter2', refreshToken: 'rt-123' },
      user: { credentials: { password: 'hunter3', token: 'tk-456' } },
    },
    'request',
  );
  const [line] = lines;
  assert.ok(line, 'nothing was logged');
  const text = JSON.stringify(line);
  for (const secret of ['abc.def', 's3cret', 'n3w', 'hunter2', 'hunter3', 'rt-123', 'tk-456']) {
    assert.ok(!text.includes(secret), `${secret} reached the log: ${text}`);
  }
  assert.deepEqual(line.headers, { authorization: '[redacted]', cookie: '[redacted]', accept: 'application/json' });
  assert.deepEqual(line.body, { email: 'a@example.com', password: '[redacted]', refreshToken: '[redacted]' });
  assert.deepEqual(line.user, { credentials: { password: '[redacted]', token: '[redacted]' } });
});

test('the level follows LOG_LEVEL, defaulting to info, and silent under test', () => {
  assert.equal(capture({ NODE_ENV: 'production' }).logger.level, 'info');
  assert.equal(capture({ NODE_ENV: 'production', LOG_LEVEL: 'warn' }).logger.level, 'warn');
  assert.equal(capture({ NODE_ENV: 'test' }).logger.level, 'silent');
});

test('logs are pretty in development and JSON lines elsewhere', () => {
  const development = loggerOptions(loadConfig({ NODE_ENV: 'development' })) as LoggerOptions;
  assert.equal(development.transport?.target, 'pino-pretty');
  const production = loggerOptions(loadConfig({ NODE_ENV: 'production' })) as LoggerOptions;
  assert.equal(production.transport, undefined);
});

import assert from 'node:assert/strict';
import { randomInt } from 'node:crypto';
import { test } from 'node:test';
import { buildTestApp } from '../helpers/app.ts';
import { assertProblem } from '../helpers/problem.ts';

const ALLOWED = 'https://app.example.com';

// Requests carry their own client address: with REDIS_URL the rate-limit counters live in one Redis
// shared by every test file running in parallel, keyed by address.
const uniqueAddress = () => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

const app = await buildTestApp({ CORS_ORIGINS: `${ALLOWED},https://admin.example.com`, RATE_LIMIT_MAX: '3' });

const get = (url: string, headers: Record<string, string> = {}, remoteAddress = uniqueAddress()) =>
  app.inject({ method: 'GET', url, headers, remoteAddress });

test('responses carry security headers', async () => {
  const res = await get('/health/ready');
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
  assert.equal(res.headers['x-frame-options'], 'SAMEORIGIN');
  assert.match(String(res.headers['strict-transport-security']), /max-age=\d+/);
  assert.match(String(res.headers['content-security-policy']), /default-src 'self'/);
  assert.equal(res.headers['referrer-policy'], 'no-referrer');
  assert.equal(res.headers['x-powered-by'], undefined);
});

test('problems carry security headers too', async () => {
  const res = await get('/missing');
  assertProblem(res, 404, 'ROUTE_NOT_FOUND');
  assert.equal(res.headers['x-content-type-options'], 'nosniff');
});

test('CORS: an allowlisted origin is allowed, with credentials and exposed headers', async () => {
  const res = await get('/health/live', { origin: ALLOWED });
  assert.equal(res.headers['access-control-allow-origin'], ALLOWED);
  assert.equal(res.headers['access-control-allow-credentials'], 'true');
  assert.match(String(res.headers['access-control-expose-headers']), /X-Request-Id/);
  assert.match(String(res.headers['access-control-expose-headers']), /Retry-After/);
});

test('CORS: a foreign origin gets no Access-Control-Allow-Origin', async () => {
  const res = await get('/health/live', { origin: 'https://evil.example.net' });
  assert.equal(res.statusCode, 200);
  assert.equal(res.headers['access-control-allow-origin'], undefined);
});

test('CORS: a preflight from an allowlisted origin is answered; from a foreign one it is not allowed', async () => {
  const preflight = (origin: string) =>
    app.inject({
      method: 'OPTIONS',
      url: '/health/live',
      remoteAddress: uniqueAddress(),
      headers: { origin, 'access-control-request-method': 'PATCH' },
    });
  const allowed = await preflight(ALLOWED);
  assert.equal(allowed.statusCode, 204);
  assert.equal(allowed.headers['access-control-allow-origin'], ALLOWED);
  assert.match(String(allowed.headers['access-control-allow-methods']), /PATCH/);
  const foreign = await preflight('https://evil.example.net');
  assert.equal(foreign.headers['access-control-allow-origin'], undefined);
});

test('over RATE_LIMIT_MAX a client gets a 429 problem with Retry-After; other clients are unaffected', async () => {
  const client = uniqueAddress();
  for (let i = 1; i <= 3; i++) {
    const res = await get('/openapi.json', {}, client);
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['x-ratelimit-limit'], '3');
    assert.equal(res.headers['x-ratelimit-remaining'], String(3 - i));
  }
  const limited = await get('/openapi.json', {}, client);
  const body = assertProblem(limited, 429, 'RATE_LIMITED');
  assert.equal(body.title, 'Too Many Requests');
  assert.match(body.detail, /^Too many requests; retry in \d+ seconds$/);
  const retryAfter = Number(limited.headers['retry-after']);
  assert.ok(retryAfter > 0 && retryAfter <= 60, `Retry-After: ${limited.headers['retry-after']}`);
  assert.equal((await get('/openapi.json', {}, uniqueAddress())).statusCode, 200);
});

test('health and metrics are exempt from the rate limit', async () => {
  const client = uniqueAddress();
  for (let i = 0; i < 5; i++) {
    assert.equal((await get('/health/live', {}, client)).statusCode, 200);
    assert.equal((await get('/metrics', {}, client)).statusCode, 200);
  }
});

test('with REDIS_URL the rate limit holds across instances', {
  skip: !process.env.REDIS_URL && 'needs REDIS_URL',
}, async () => {
  // Instances of one deployment share the counters' key prefix.
  const other = await buildTestApp({ RATE_LIMIT_MAX: '3', RATE_LIMIT_PREFIX: app.config.rateLimit.redisPrefix });
  const client = uniqueAddress();
  for (const instance of [app, other, app]) {
    const res = await instance.inject({ method: 'GET', url: '/openapi.json', remoteAddress: client });
    assert.equal(res.statusCode, 200);
  }
  const limited = await other.inject({ method: 'GET', url: '/openapi.json', remoteAddress: client });
  assertProblem(limited, 429, 'RATE_LIMITED');
});

test('when the event loop falls behind, requests are shed with a 503 problem and Retry-After', async () => {
  const pressured = await buildTestApp({ MAX_EVENT_LOOP_DELAY_MS: '5' });
  // Lag the event loop in short bursts until under-pressure's next sample (once a second) sees it.
  const deadline = Date.now() + 5_000;
  let res = await pressured.inject({ method: 'GET', url: '/health/live' });
  while (res.statusCode !== 503 && Date.now() < deadline) {
    const until = Date.now() + 30;
    while (Date.now() < until) {
      // busy: this is the lag being measured
    }
    await new Promise((resolve) => setImmediate(resolve));
    res = await pressured.inject({ method: 'GET', url: '/health/live' });
  }
  const body = assertProblem(res, 503, 'SERVICE_UNAVAILABLE');
  assert.equal(body.title, 'Service Unavailable');
  assert.equal(res.headers['retry-after'], '5');
});

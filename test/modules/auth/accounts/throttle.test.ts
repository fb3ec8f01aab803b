import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import { after, describe, test } from 'node:test';
import { Redis } from 'ioredis';
import {
  type LoginThrottle,
  loginThrottleKeys,
  MemoryLoginThrottle,
  RedisLoginThrottle,
  type ThrottlePolicy,
} from '../../../../src/modules/auth/accounts/login-throttle.ts';
import { buildTestApp } from '../../../helpers/app.ts';
import { problemShape, register } from '../support.ts';

const app = await buildTestApp({ AUTH_LOGIN_ACCOUNT_FREE_ATTEMPTS: '3', AUTH_LOGIN_IP_FREE_ATTEMPTS: '6' });
const redisUrl = process.env.REDIS_URL;
const redis = redisUrl ? new Redis(redisUrl) : null;
after(() => redis?.quit());

// Each test logs in from its own address, so the per-IP budget of one never spends another's.
const newIp = () => `198.51.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

const login = (ip: string, loginName: string, password: string) =>
  app.inject({ method: 'POST', url: '/api/auth/login', remoteAddress: ip, payload: { login: loginName, password } });

const policy: ThrottlePolicy = { freeAttempts: 3, baseMs: 1000, maxMs: 4000, forgetMs: 60_000 };

// The same behaviour from both implementations, on a fake clock.
const implementations: Array<[string, () => LoginThrottle]> = [['memory', () => new MemoryLoginThrottle()]];
if (redis) {
  implementations.push([
    'redis',
    () => new RedisLoginThrottle(redis, { prefix: `gw:test:${randomUUID()}:`, onError: (e) => assert.fail(String(e)) }),
  ]);
}

for (const [name, make] of implementations) {
  describe(`${name} throttle`, () => {
    test('free attempts, then an exponentially growing lock, capped', async () => {
      const throttle = make();
      const key = [{ key: 'account:a', policy }];
      const t0 = 1_000_000;
      assert.equal(await throttle.attempt(key, t0), 0);
      assert.equal(await throttle.attempt(key, t0), 0);
      assert.equal(await throttle.attempt(key, t0), 0, 'the third attempt goes ahead and locks for 1 s');
      assert.equal(await throttle.attempt(key, t0 + 10), 990, 'locked: not counted');
      assert.equal(await throttle.attempt(key, t0 + 1000), 0, 'after the lock, the 4th attempt (locks 2 s)');
      assert.equal(await throttle.attempt(key, t0 + 1000), 2000);
      assert.equal(await throttle.attempt(key, t0 + 3000), 0, '5th (locks 4 s)');
      assert.equal(await throttle.attempt(key, t0 + 3000), 4000);
      assert.equal(await throttle.attempt(key, t0 + 7000), 0, '6th (8 s, capped at 4 s)');
      assert.equal(await throttle.attempt(key, t0 + 7000), 4000);
    });

    test('reset forgets a key; refund gives one attempt back', async () => {
      const throttle = make();
      const key = [{ key: 'account:b', policy }];
      for (let i = 0; i < 3; i++) await throttle.attempt(key, 0);
      assert.ok((await throttle.attempt(key, 1)) > 0);
      await throttle.reset(['account:b']);
      assert.equal(await throttle.attempt(key, 2), 0);

      const ip = [{ key: 'ip:c', policy }];
      await throttle.attempt(ip, 0);
      await throttle.attempt(ip, 0);
      await throttle.refund(['ip:c']);
      assert.equal(await throttle.attempt(ip, 0), 0, 'two counted after the refund: no lock yet');
      assert.equal(await throttle.attempt(ip, 0), 0);
      assert.ok((await throttle.attempt(ip, 0)) > 0);
    });

    test('one locked key blocks the attempt and nothing is counted against the others', async () => {
      const throttle = make();
      const account = { key: 'account:d', policy: { ...policy, freeAttempts: 1 } };
      const ip = { key: 'ip:d', policy };
      assert.equal(await throttle.attempt([account, ip], 0), 0);
      for (let i = 0; i < 5; i++) assert.equal(await throttle.attempt([account, ip], 10), 990);
      assert.equal(await throttle.attempt([ip], 10), 0, 'the IP has only one attempt counted');
      assert.equal(await throttle.attempt([ip], 10), 0);
      assert.ok((await throttle.attempt([ip], 10)) > 0);
    });

    test('a burst of parallel attempts gets no more than the free ones through', async () => {
      const throttle = make();
      const key = [{ key: 'account:e', policy }];
      const waits = await Promise.all(Array.from({ length: 20 }, () => throttle.attempt(key, 5)));
      assert.equal(waits.filter((w) => w === 0).length, 3);
    });

    test('keys are forgotten after a quiet period', async () => {
      const throttle = make();
      const key = [{ key: 'account:f', policy: { ...policy, forgetMs: 50 } }];
      for (let i = 0; i < 3; i++) await throttle.attempt(key, Date.now());
      await new Promise((resolve) => setTimeout(resolve, 1100)); // past the lock and the forget period
      assert.equal(await throttle.attempt(key, Date.now()), 0);
      assert.equal(await throttle.attempt(key, Date.now()), 0, 'counting started over');
    });
  });
}

test(`the app throttles log-ins through ${redis ? 'Redis' : 'memory'}`, () => {
  assert.ok(app.auth.throttle instanceof (redis ? RedisLoginThrottle : MemoryLoginThrottle));
});

test('per account: after the free attempts, 429 with Retry-After, even for the right password', async () => {
  const ip = newIp();
  const account = await register(app);
  for (let i = 0; i < 3; i++) assert.equal((await login(ip, account.email, 'wrong password')).statusCode, 401);
  const locked = await login(ip, account.email, account.password);
  assert.equal(locked.statusCode, 429);
  assert.equal(locked.json().code, 'LOGIN_THROTTLED');
  const retryAfter = Number(locked.headers['retry-after']);
  assert.ok(retryAfter >= 25 && retryAfter <= 30, `Retry-After ${retryAfter}`);

  // The login as typed is the key: the username is a key of its own and still works.
  assert.equal((await login(ip, account.username, account.password)).statusCode, 200);

  if (redis) {
    // Another instance sharing the Redis sees the same lock.
    const keys = loginThrottleKeys(app.config.auth.loginThrottle, account.email, undefined);
    const otherInstance = new RedisLoginThrottle(redis, { prefix: app.config.auth.loginThrottle.redisPrefix });
    assert.ok((await otherInstance.attempt([keys.account])) > 0);
  }
});

test('a successful log-in resets the account counter', async () => {
  const ip = newIp();
  const account = await register(app);
  for (let round = 0; round < 2; round++) {
    for (let i = 0; i < 2; i++) assert.equal((await login(ip, account.email, 'wrong password')).statusCode, 401);
    assert.equal((await login(ip, account.email, account.password)).statusCode, 200);
  }
});

test('no enumeration: an unknown login is throttled exactly like an existing one, with the same answers', async () => {
  const account = await register(app);
  const unknown = `nobody-${randomUUID().slice(0, 8)}@example.com`;
  const answers = { known: [] as string[], unknown: [] as string[] };
  const retryAfter = { known: 0, unknown: 0 };
  for (const [kind, name] of [
    ['known', account.email],
    ['unknown', unknown],
  ] as const) {
    const ip = newIp();
    for (let i = 0; i < 4; i++) {
      const res = await login(ip, name, 'wrong password');
      answers[kind].push(`${res.statusCode} ${JSON.stringify(problemShape(res.body))}`);
      if (res.statusCode === 429) retryAfter[kind] = Number(res.headers['retry-after']);
    }
  }
  assert.deepEqual(answers.known, answers.unknown);
  assert.deepEqual(
    answers.known.map((a) => a.slice(0, 3)),
    ['401', '401', '401', '429'],
  );
  assert.ok(Math.abs(retryAfter.known - retryAfter.unknown) <= 1);
  assert.doesNotMatch(answers.unknown.join(), /exist|unknown|not found/i);
});

test('per IP: a larger budget across logins, then 429 for any login from that IP only', async () => {
  const ip = newIp();
  // Six failures spread over three accounts (none of them reaches its own limit).
  const accounts = await Promise.all([register(app), register(app), register(app)]);
  for (const account of accounts) {
    for (let i = 0; i < 2; i++) assert.equal((await login(ip, account.email, 'wrong password')).statusCode, 401);
  }
  const fresh = await register(app);
  const blocked = await login(ip, fresh.email, fresh.password);
  assert.equal(blocked.statusCode, 429);
  assert.ok(Number(blocked.headers['retry-after']) > 0);
  assert.equal((await login(newIp(), fresh.email, fresh.password)).statusCode, 200, 'another IP is unaffected');
});

test('guessing the current password on PATCH /me is throttled on the same account key', async () => {
  const ip = newIp();
  const account = await register(app);
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: ip,
    payload: { login: account.email, password: account.password },
  });
  const headers = { authorization: `Bearer ${login.json().accessToken}` };
  const guess = (currentPassword: string) =>
    app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      remoteAddress: ip,
      headers,
      payload: { email: `new-${account.email}`, currentPassword },
    });
  for (let i = 0; i < 3; i++) assert.equal((await guess(`guess ${i}`)).statusCode, 422);
  const locked = await guess(account.password);
  assert.equal(locked.statusCode, 429);
  assert.ok(Number(locked.headers['retry-after']) > 0);
  // And the log-in with that email is locked too: one budget per account.
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    remoteAddress: newIp(),
    payload: { login: account.email, password: account.password },
  });
  assert.equal(res.statusCode, 429);
});

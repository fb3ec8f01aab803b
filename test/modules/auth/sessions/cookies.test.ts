import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../../../helpers/app.ts';
import { bearerUser, cookieLogin as login, register, type TestAccount } from '../support.ts';

const TRUSTED = 'https://app.example.com';
const app = await buildTestApp({ CORS_ORIGINS: TRUSTED });
// app.inject addresses requests to http://localhost:80, so this is the service's own origin.
const OWN = 'http://localhost';

const cookieLogin = (account: TestAccount) => login(app, account, { by: 'username' });

const me = (cookie: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie, ...headers } });

const patchMe = (cookie: string, headers: Record<string, string>) =>
  app.inject({ method: 'PATCH', url: '/api/auth/me', headers: { cookie, ...headers }, payload: { bio: 'hello' } });

async function sessionRow(value: string) {
  const { digestToken } = await import('../../../../src/modules/auth/tokens/opaque-tokens.ts');
  return app.db
    .selectFrom('auth_sessions')
    .selectAll()
    .where('cookie_hash', '=', digestToken(value))
    .executeTakeFirstOrThrow();
}

test('POST /session sets an HttpOnly, SameSite=Lax, Path=/ cookie (not Secure outside production)', async () => {
  const account = await register(app);
  const { res, value } = await cookieLogin(account);
  const body = res.json();
  assert.equal(body.user.email, account.email);
  assert.equal(body.idleTimeoutSeconds, 1800);
  assert.equal(body.accessToken, undefined, 'no bearer tokens on a cookie log-in');
  assert.equal(res.headers['cache-control'], 'no-store');

  const raw = String(res.headers['set-cookie']);
  assert.match(raw, /^gw_session=[A-Za-z0-9_-]{43}; Max-Age=604800; Path=\/; HttpOnly; SameSite=Lax$/);
  // Only the digest is stored: the cookie value itself is nowhere in the database.
  const row = await sessionRow(value);
  assert.equal(row.kind, 'cookie');
  assert.notEqual(row.cookie_hash, value);
  assert.equal(Math.round((row.expires_at.getTime() - row.created_at.getTime()) / 1000), 604800);
});

test('the cookie authenticates when there is no Authorization header; a header wins over it', async () => {
  const account = await register(app);
  const { header } = await cookieLogin(account);
  const ok = await me(header);
  assert.equal(ok.statusCode, 200);
  assert.equal(ok.json().username, account.username);

  const other = await bearerUser(app);
  const asOther = await me(header, other.headers);
  assert.equal(asOther.json().username, other.account.username, 'the Authorization header decides');
  const badHeader = await me(header, { authorization: 'Bearer not.a.jwt' });
  assert.equal(badHeader.statusCode, 401, 'an invalid header is not rescued by the cookie');
});

test('cookie-authenticated unsafe methods need a trusted Origin or Referer (CSRF)', async () => {
  const account = await register(app);
  const { header } = await cookieLogin(account);
  const refused: Record<string, string>[] = [
    { origin: 'https://evil.example' },
    { origin: 'null' },
    { referer: 'https://evil.example/page' },
    { origin: 'http://localhost:8080' },
    {},
  ];
  for (const headers of refused) {
    const res = await patchMe(header, headers);
    assert.equal(res.statusCode, 403, JSON.stringify(headers));
    assert.equal(res.json().code, 'CSRF_ORIGIN_REFUSED');
  }
  assert.equal((await me(header)).json().bio, null, 'nothing was changed');

  const accepted: Record<string, string>[] = [{ origin: OWN }, { origin: TRUSTED }, { referer: `${OWN}/settings` }];
  for (const headers of accepted) {
    const res = await patchMe(header, headers);
    assert.equal(res.statusCode, 200, JSON.stringify(headers));
  }
  // Safe methods need no Origin, and bearer requests are not CSRF-able (the browser never adds them).
  assert.equal((await me(header, { origin: 'https://evil.example' })).statusCode, 200);
  const bearer = await bearerUser(app);
  const res = await app.inject({
    method: 'PATCH',
    url: '/api/auth/me',
    headers: { ...bearer.headers, origin: 'https://evil.example' },
    payload: { bio: 'bearer' },
  });
  assert.equal(res.statusCode, 200);
});

test('a cookie log-in from a foreign origin is refused (log-in CSRF)', async () => {
  const account = await register(app);
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/session',
    headers: { origin: 'https://evil.example' },
    payload: { login: account.email, password: account.password },
  });
  assert.equal(res.statusCode, 403);
  assert.equal(res.headers['set-cookie'], undefined);
});

test('log-out ends the cookie session and clears the cookie', async () => {
  const account = await register(app);
  const { header } = await cookieLogin(account);
  const res = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: { cookie: header, origin: OWN } });
  assert.equal(res.statusCode, 204);
  const cleared = res.cookies.find((c) => c.name === 'gw_session');
  assert.equal(cleared?.value, '');
  assert.ok(cleared?.expires && cleared.expires.getTime() <= Date.now(), 'the cookie is expired');
  assert.equal((await me(header)).statusCode, 401);
});

test('idle timeout: a cookie session unused for longer than the idle timeout is over', async () => {
  const account = await register(app);
  const { value, header } = await cookieLogin(account);
  const row = await sessionRow(value);

  // Used 29 minutes ago: still alive, and the use is recorded.
  await app.db
    .updateTable('auth_sessions')
    .set({ last_used_at: new Date(Date.now() - 29 * 60_000) })
    .where('id', '=', row.id)
    .execute();
  assert.equal((await me(header)).statusCode, 200);
  assert.ok((await sessionRow(value)).last_used_at.getTime() > Date.now() - 60_000, 'last_used_at was touched');

  // Idle for 31 minutes: over, and the stale cookie is cleared.
  await app.db
    .updateTable('auth_sessions')
    .set({ last_used_at: new Date(Date.now() - 31 * 60_000) })
    .where('id', '=', row.id)
    .execute();
  app.auth.sessions.forget(row.id); // as after the session cache's few seconds
  const res = await me(header);
  assert.equal(res.statusCode, 401);
  assert.equal(res.cookies.find((c) => c.name === 'gw_session')?.value, '');
});

test('absolute timeout: a cookie session ends at its expiry however active it is', async () => {
  const account = await register(app);
  const { value, header } = await cookieLogin(account);
  assert.equal((await me(header)).statusCode, 200);
  const row = await sessionRow(value);
  await app.db
    .updateTable('auth_sessions')
    .set({ expires_at: new Date(Date.now() - 1000), last_used_at: new Date() })
    .where('id', '=', row.id)
    .execute();
  app.auth.sessions.forget(row.id);
  assert.equal((await me(header)).statusCode, 401);
});

test('an unknown cookie is 401 with the generic answer, and cleared', async () => {
  const res = await me('gw_session=made-up-value');
  assert.equal(res.statusCode, 401);
  assert.equal(res.json().detail, 'Missing, invalid or expired credentials');
  assert.equal(res.cookies.find((c) => c.name === 'gw_session')?.value, '');
});

test('logging in again from the same browser replaces its previous cookie session', async () => {
  const account = await register(app);
  const first = await cookieLogin(account);
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/session',
    headers: { cookie: first.header },
    payload: { login: account.email, password: account.password },
  });
  assert.equal(res.statusCode, 200);
  const next = `gw_session=${res.cookies.find((c) => c.name === 'gw_session')?.value}`;
  assert.equal((await me(first.header)).statusCode, 401);
  assert.equal((await me(next)).statusCode, 200);
  assert.equal((await sessionRow(first.value)).revoked_reason, 'replaced');
});

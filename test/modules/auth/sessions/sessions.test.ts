import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../../../helpers/app.ts';
import { bearerLogin, bearerUser, cookieLogin, register } from '../support.ts';

const app = await buildTestApp();
const OWN = 'http://localhost';

const list = (headers: Record<string, string>, query = '') =>
  app.inject({ method: 'GET', url: `/api/auth/sessions${query}`, headers });

test('GET /sessions lists live sessions of every kind with device, IP and which one is current', async () => {
  const account = await register(app);
  const first = await bearerLogin(app, account);
  const cookieLogin = await app.inject({
    method: 'POST',
    url: '/api/auth/session',
    headers: { 'user-agent': 'Firefox/140' },
    remoteAddress: '203.0.113.7',
    payload: { login: account.email, password: account.password },
  });
  assert.equal(cookieLogin.statusCode, 200);
  const second = await bearerLogin(app, account);

  const res = await list({ authorization: `Bearer ${second.accessToken}` });
  assert.equal(res.statusCode, 200);
  const { items, nextCursor } = res.json();
  assert.equal(nextCursor, null);
  assert.deepEqual(
    items.map((s: { kind: string; current: boolean }) => [s.kind, s.current]),
    [
      ['token', true],
      ['cookie', false],
      ['token', false],
    ],
  );
  const cookieSession = items[1];
  assert.equal(cookieSession.userAgent, 'Firefox/140');
  assert.equal(cookieSession.ip, '203.0.113.7');
  for (const key of ['createdAt', 'lastUsedAt', 'expiresAt']) assert.ok(Date.parse(cookieSession[key]));
  assert.deepEqual(Object.keys(cookieSession).sort(), [
    'createdAt',
    'current',
    'expiresAt',
    'id',
    'ip',
    'kind',
    'lastUsedAt',
    'userAgent',
  ]);
  assert.ok(first.accessToken);
});

test('GET /sessions pages with a cursor, newest first, without repeats', async () => {
  const account = await register(app);
  for (let i = 0; i < 4; i++) await bearerLogin(app, account);
  const { accessToken } = await bearerLogin(app, account);
  const headers = { authorization: `Bearer ${accessToken}` };
  const seen: string[] = [];
  let cursor: string | null = null;
  do {
    const res = await list(headers, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    assert.equal(res.statusCode, 200, res.body);
    const page = res.json();
    assert.ok(page.items.length <= 2);
    seen.push(...page.items.map((s: { id: string }) => s.id));
    cursor = page.nextCursor;
  } while (cursor);
  assert.equal(seen.length, 5);
  assert.equal(new Set(seen).size, 5);

  const bad = await list(headers, '?cursor=not-a-cursor');
  assert.equal(bad.statusCode, 422);
  assert.equal(bad.json().errors[0].field, 'query.cursor');
  assert.equal((await list(headers, '?limit=0')).statusCode, 422);
  assert.equal((await list({})).statusCode, 401);
});

test('DELETE /sessions/:id ends one own session; another user’s session is a 404', async () => {
  const account = await register(app);
  const a = await bearerLogin(app, account);
  const b = await bearerLogin(app, account);
  const headersB = { authorization: `Bearer ${b.accessToken}` };
  const sessionA = (await list(headersB)).json().items.find((s: { current: boolean }) => !s.current);

  const stranger = await bearerUser(app);
  const theirs = await app.inject({
    method: 'DELETE',
    url: `/api/auth/sessions/${sessionA.id}`,
    headers: stranger.headers,
  });
  assert.equal(theirs.statusCode, 404);
  assert.equal(theirs.json().code, 'SESSION_NOT_FOUND');
  assert.equal(
    (await app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `Bearer ${a.accessToken}` } }))
      .statusCode,
    200,
  );

  const mine = await app.inject({ method: 'DELETE', url: `/api/auth/sessions/${sessionA.id}`, headers: headersB });
  assert.equal(mine.statusCode, 204);
  const dead = await app.inject({
    method: 'GET',
    url: '/api/auth/me',
    headers: { authorization: `Bearer ${a.accessToken}` },
  });
  assert.equal(dead.statusCode, 401);
  const refresh = await app.inject({
    method: 'POST',
    url: '/api/auth/refresh',
    payload: { refreshToken: a.refreshToken },
  });
  assert.equal(refresh.statusCode, 401, 'its refresh token is dead too');

  const again = await app.inject({ method: 'DELETE', url: `/api/auth/sessions/${sessionA.id}`, headers: headersB });
  assert.equal(again.statusCode, 404, 'an ended session is gone');
  const unknown = await app.inject({
    method: 'DELETE',
    url: '/api/auth/sessions/00000000-0000-4000-8000-000000000000',
    headers: headersB,
  });
  assert.equal(unknown.statusCode, 404);
  const invalid = await app.inject({ method: 'DELETE', url: '/api/auth/sessions/nope', headers: headersB });
  assert.equal(invalid.statusCode, 422);
});

test('deleting the current cookie session clears the cookie', async () => {
  const account = await register(app);
  const { header: cookie } = await cookieLogin(app, account);
  const current = (await list({ cookie })).json().items[0];
  assert.equal(current.current, true);
  const res = await app.inject({
    method: 'DELETE',
    url: `/api/auth/sessions/${current.id}`,
    headers: { cookie, origin: OWN },
  });
  assert.equal(res.statusCode, 204);
  assert.equal(res.cookies.find((c) => c.name === 'gw_session')?.value, '');
  assert.equal((await list({ cookie })).statusCode, 401);
});

test('POST /logout-all ends every session of the user, and only theirs', async () => {
  const account = await register(app);
  const a = await bearerLogin(app, account);
  const b = await bearerLogin(app, account);
  const bystander = await bearerUser(app);
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/logout-all',
    headers: { authorization: `Bearer ${a.accessToken}` },
  });
  assert.equal(res.statusCode, 204);
  for (const token of [a.accessToken, b.accessToken]) {
    assert.equal((await list({ authorization: `Bearer ${token}` })).statusCode, 401);
  }
  assert.equal((await list(bystander.headers)).statusCode, 200);
  assert.equal((await app.inject({ method: 'POST', url: '/api/auth/logout-all' })).statusCode, 401);
});

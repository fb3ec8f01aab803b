import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../../helpers/app.ts';
import { cookieLogin, register } from '../auth/support.ts';

const app = await buildTestApp();

test('GET /api/user on a cookie session returns a working token of that session, never a new session', async () => {
  const account = await register(app);
  const cookie = await cookieLogin(app, account);
  const sessionsBefore = await app.db
    .selectFrom('auth_sessions')
    .select('id')
    .where('user_id', '=', account.id)
    .execute();

  const tokens: string[] = [];
  for (let i = 0; i < 3; i++) {
    const read: { statusCode: number; body: string; json(): unknown } = await app.inject({
      method: 'GET',
      url: '/api/user',
      headers: { cookie: `gw_session=${cookie.value}` },
    });
    assert.equal(read.statusCode, 200, read.body);
    const { user } = read.json() as { user: { username: string; token: string } };
    assert.equal(user.username, account.username);
    tokens.push(user.token);
  }

  const sessionsAfter = await app.db
    .selectFrom('auth_sessions')
    .select('id')
    .where('user_id', '=', account.id)
    .execute();
  assert.deepEqual(sessionsAfter, sessionsBefore, 'no session was started by reading the user');
  const withToken = await app.inject({
    method: 'GET',
    url: '/api/user',
    headers: { authorization: `Token ${tokens[2]}` },
  });
  assert.equal(withToken.statusCode, 200);
  assert.equal(withToken.json().user.token, tokens[2], 'a presented token is handed back as it is');

  // The token belongs to the cookie's session: logging that session out ends the token too.
  const logout = await app.inject({
    method: 'POST',
    url: '/api/auth/logout',
    headers: { authorization: `Bearer ${tokens[0]}` },
  });
  assert.equal(logout.statusCode, 204);
  const after = await app.inject({
    method: 'GET',
    url: '/api/user',
    headers: { cookie: `gw_session=${cookie.value}` },
  });
  assert.equal(after.statusCode, 401);
});

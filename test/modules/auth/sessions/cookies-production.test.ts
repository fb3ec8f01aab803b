import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../../../helpers/app.ts';
import { cookieLogin, register } from '../support.ts';

// The same app in production mode: the session cookie must be Secure there.
const app = await buildTestApp({ NODE_ENV: 'production', LOG_LEVEL: 'silent' });

test('in production the session cookie is Secure, HttpOnly, SameSite=Lax and __Host- prefixed', async () => {
  const account = await register(app);
  const { res } = await cookieLogin(app, account, { cookieName: '__Host-gw_session' });
  const raw = String(res.headers['set-cookie']);
  assert.match(raw, /^__Host-gw_session=[A-Za-z0-9_-]{43}; Max-Age=604800; Path=\/; HttpOnly; Secure; SameSite=Lax$/);
  assert.doesNotMatch(raw, /Domain=/i, '__Host- cookies are host-only');

  const cookie = raw.split(';')[0] ?? '';
  const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } });
  assert.equal(me.statusCode, 200);
  assert.equal(me.json().email, account.email);
});

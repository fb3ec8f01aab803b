import assert from 'node:assert/strict';
import { test } from 'node:test';
import { oauthWorld } from './support.ts';

const { github, unique, start, authorize, callback, flow, loggedIn } = await oauthWorld();

test('GitHub: OAuth 2 + emails API; a verified primary email makes the account', async () => {
  const login = `octo${unique()}`;
  const email = `${login}@example.com`;
  github.control.user = {
    id: Math.floor(Math.random() * 1e9),
    login,
    emails: [
      { email: `other-${email}`, primary: false, verified: true },
      { email, primary: true, verified: true },
    ],
  };
  const started = await start('github');
  assert.equal(started.location.origin, github.url);
  assert.equal(started.location.searchParams.get('scope'), 'read:user user:email');
  assert.equal(started.location.searchParams.get('nonce'), null, 'no OIDC nonce for plain OAuth 2');
  const first = await loggedIn(await callback(await authorize(started.location), started.binding));
  assert.equal(first.me.email, email);
  assert.equal(first.me.username, login);
  assert.equal(first.me.emailVerified, true);

  const again = await loggedIn(await flow('github'));
  assert.equal(again.me.id, first.me.id);
});

test('GitHub: an unverified primary email makes no account; a bad code is a 400', async () => {
  const login = `octo${unique()}`;
  github.control.user = {
    id: Math.floor(Math.random() * 1e9),
    login,
    emails: [{ email: `${login}@example.com`, primary: true, verified: false }],
  };
  const res = await flow('github');
  assert.equal(res.statusCode, 403, res.body);
  assert.equal(res.json().code, 'OAUTH_EMAIL_UNVERIFIED');

  const started = await start('github');
  const forged = new URL('http://127.0.0.1:3000/api/auth/oauth/github/callback');
  forged.searchParams.set('code', 'forged');
  forged.searchParams.set('state', started.location.searchParams.get('state') ?? '');
  const bad = await callback(forged, started.binding);
  assert.equal(bad.statusCode, 400, bad.body);
  assert.equal(bad.json().code, 'OAUTH_CALLBACK_FAILED');
});

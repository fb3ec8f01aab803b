import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { buildTestApp } from '../../../helpers/app.ts';

const app = await buildTestApp();

async function registerAndLogin() {
  const suffix = randomUUID().slice(0, 8);
  const credentials = {
    email: `u${suffix}@example.com`,
    username: `u${suffix}`,
    password: 'a long unusual passphrase',
  };
  const register = await app.inject({ method: 'POST', url: '/api/auth/register', payload: credentials });
  assert.equal(register.statusCode, 201, register.body);
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { login: credentials.email.toUpperCase(), password: credentials.password },
  });
  assert.equal(login.statusCode, 200, login.body);
  return { credentials, tokens: login.json() };
}

const me = (token: string, scheme = 'Bearer') =>
  app.inject({ method: 'GET', url: '/api/auth/me', headers: { authorization: `${scheme} ${token}` } });

test('register, log in, and read /me with Bearer and Token schemes', async () => {
  const { credentials, tokens } = await registerAndLogin();
  assert.equal(tokens.tokenType, 'Bearer');
  assert.equal(tokens.expiresIn, 900);
  assert.equal(tokens.user.email, credentials.email);
  for (const scheme of ['Bearer', 'Token']) {
    const res = await me(tokens.accessToken, scheme);
    assert.equal(res.statusCode, 200);
    assert.equal(res.json().username, credentials.username);
  }
});

test('refresh rotates; a reused refresh token ends the session', async () => {
  const { tokens } = await registerAndLogin();
  const first = await app.inject({
    method: 'POST',
    url: '/api/auth/refresh',
    payload: { refreshToken: tokens.refreshToken },
  });
  assert.equal(first.statusCode, 200);
  const rotated = first.json();
  assert.notEqual(rotated.refreshToken, tokens.refreshToken);

  const reuse = await app.inject({
    method: 'POST',
    url: '/api/auth/refresh',
    payload: { refreshToken: tokens.refreshToken },
  });
  assert.equal(reuse.statusCode, 401);
  assert.equal(reuse.json().code, 'REFRESH_TOKEN_REUSED');

  // The whole family is gone: the rotated refresh token and every access token of the session.
  const after = await app.inject({
    method: 'POST',
    url: '/api/auth/refresh',
    payload: { refreshToken: rotated.refreshToken },
  });
  assert.equal(after.statusCode, 401);
  assert.equal((await me(rotated.accessToken)).statusCode, 401);
  assert.equal((await me(tokens.accessToken)).statusCode, 401);
});

test('logout revokes the session its access token belongs to', async () => {
  const { tokens } = await registerAndLogin();
  assert.equal((await me(tokens.accessToken)).statusCode, 200);
  const logout = await app.inject({
    method: 'POST',
    url: '/api/auth/logout',
    headers: { authorization: `Bearer ${tokens.accessToken}` },
  });
  assert.equal(logout.statusCode, 204);
  const res = await me(tokens.accessToken);
  assert.equal(res.statusCode, 401);
  assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
});

test('a wrong password and an unknown account get the same answer', async () => {
  const { credentials } = await registerAndLogin();
  const wrong = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { login: credentials.email, password: 'not the password' },
  });
  const unknown = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { login: 'nobody@example.com', password: 'not the password' },
  });
  assert.equal(wrong.statusCode, 401);
  assert.equal(unknown.statusCode, 401);
  const { requestId: _a, ...wrongBody } = wrong.json();
  const { requestId: _b, ...unknownBody } = unknown.json();
  assert.deepEqual(wrongBody, unknownBody);
});

test('the JWKS publishes the signing key', async () => {
  const res = await app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
  assert.equal(res.statusCode, 200);
  const [key] = res.json().keys;
  assert.equal(key.kty, 'OKP');
  assert.equal(key.alg, 'EdDSA');
  assert.equal(key.d, undefined, 'the private part is never published');
});

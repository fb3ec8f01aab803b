import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';

/** Shared by the auth tests: fresh accounts, so tests in one file never interfere. */

export const PASSWORD = 'a long unusual passphrase';

export interface TestAccount {
  id: string;
  email: string;
  username: string;
  password: string;
}

export async function register(app: FastifyInstance): Promise<TestAccount> {
  const suffix = randomUUID().slice(0, 8);
  const account = { email: `u${suffix}@example.com`, username: `u${suffix}`, password: PASSWORD };
  const res = await app.inject({ method: 'POST', url: '/api/auth/register', payload: account });
  assert.equal(res.statusCode, 201, res.body);
  return { ...account, id: res.json().id };
}

export async function bearerLogin(
  app: FastifyInstance,
  account: TestAccount,
): Promise<{ accessToken: string; refreshToken: string }> {
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { login: account.email, password: account.password },
  });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

/**
 * Logs in for a browser (`POST /api/auth/session`, by email or username) and returns the response
 * and its session cookie (`__Host-gw_session` in production).
 */
export async function cookieLogin(
  app: FastifyInstance,
  account: TestAccount,
  options: { by?: 'email' | 'username'; cookieName?: string } = {},
) {
  const { by = 'email', cookieName = 'gw_session' } = options;
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/session',
    payload: { login: account[by], password: account.password },
  });
  assert.equal(res.statusCode, 200, res.body);
  const cookie = res.cookies.find((c) => c.name === cookieName);
  assert.ok(cookie, 'the session cookie is set');
  return { res, value: cookie.value, header: `${cookieName}=${cookie.value}` };
}

/** Registers and logs in; returns the account and an Authorization header for it. */
export async function bearerUser(app: FastifyInstance) {
  const account = await register(app);
  const tokens = await bearerLogin(app, account);
  return { account, tokens, headers: { authorization: `Bearer ${tokens.accessToken}` } };
}

/** A problem body without its per-request fields, to compare two answers. */
export function problemShape(body: string): Record<string, unknown> {
  const { requestId: _id, instance: _instance, ...rest } = JSON.parse(body) as Record<string, unknown>;
  return rest;
}

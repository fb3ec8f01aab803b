import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../../helpers/app.ts';
import { lastMailedToken, mailsTo as mailTo } from '../../../helpers/mail.ts';

const app = await buildTestApp();
const PASSWORD = 'a long unusual passphrase';

/** A loopback address of its own, so per-IP limits (kept in Redis across runs) never collide. */
const someIp = () => `127.${randomInt(1, 255)}.${randomInt(1, 255)}.${randomInt(1, 255)}`;

async function register(target: FastifyInstance = app) {
  const suffix = randomUUID().slice(0, 8);
  const email = `r${suffix}@example.com`;
  const res = await target.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: { email, username: `r${suffix}`, password: PASSWORD },
  });
  assert.equal(res.statusCode, 201, res.body);
  return { email, id: res.json().id as string };
}

async function login(email: string, password = PASSWORD) {
  return app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: email, password } });
}

const mailsTo = (to: string, target: FastifyInstance = app) => mailTo(target, to);
const lastToken = (to: string, subject: RegExp) => lastMailedToken(app, to, subject);

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const post = (url: string, payload: unknown, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url, payload: payload as object, headers, remoteAddress: someIp() });

async function auditTypes(userId: string): Promise<string[]> {
  const rows = await app.db
    .selectFrom('auth_audit_events')
    .select('type')
    .where('user_id', '=', userId)
    .orderBy('id')
    .execute();
  return rows.map((r) => r.type);
}

test('registration mails a verification link; the token verifies once', async () => {
  const { email, id } = await register();
  const token = await lastToken(email, /Confirm your email/);
  const mail = (await mailsTo(email))[0];
  assert.ok(mail);
  assert.equal(mail.from, 'Groundwork <no-reply@localhost>');
  assert.match(mail.text, /^.*http:\/\/127\.0\.0\.1:3000\/verify-email#token=/m);

  const tokens = (await login(email)).json();
  assert.equal(
    (await app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(tokens.accessToken) })).json()
      .emailVerified,
    false,
  );

  const ok = await post('/api/auth/verify-email', { token });
  assert.equal(ok.statusCode, 204, ok.body);
  const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(tokens.accessToken) });
  assert.equal(me.json().emailVerified, true);
  assert.ok((await auditTypes(id)).includes('email_verified'));

  const again = await post('/api/auth/verify-email', { token });
  assert.equal(again.statusCode, 400);
  assert.equal(again.json().code, 'INVALID_TOKEN');

  // Tokens are stored only as digests.
  const stored = await app.db
    .selectFrom('auth_one_time_tokens')
    .select('token_hash')
    .where('user_id', '=', id)
    .execute();
  assert.ok(stored.length > 0 && stored.every((row) => row.token_hash !== token));
});

test('a new verification request supersedes the old link; a verified address cannot ask again', async () => {
  const { email } = await register();
  const first = await lastToken(email, /Confirm/);
  const { accessToken } = (await login(email)).json();

  assert.equal((await post('/api/auth/verify-email/request', {})).statusCode, 401);
  const requested = await post('/api/auth/verify-email/request', {}, bearer(accessToken));
  assert.equal(requested.statusCode, 202, requested.body);
  assert.equal(requested.json().status, 'accepted');
  const second = await lastToken(email, /Confirm/);
  assert.notEqual(first, second);

  const stale = await post('/api/auth/verify-email', { token: first });
  assert.equal(stale.statusCode, 400);
  assert.equal(stale.json().code, 'INVALID_TOKEN');
  assert.equal((await post('/api/auth/verify-email', { token: second })).statusCode, 204);

  const already = await post('/api/auth/verify-email/request', {}, bearer(accessToken));
  assert.equal(already.statusCode, 409);
  assert.equal(already.json().code, 'EMAIL_ALREADY_VERIFIED');
});

test('an expired verification link and a malformed token are refused', async () => {
  const { email, id } = await register();
  const token = await lastToken(email, /Confirm/);
  await app.db
    .updateTable('auth_one_time_tokens')
    .set({ expires_at: new Date(Date.now() - 1000) })
    .where('user_id', '=', id)
    .execute();
  const expired = await post('/api/auth/verify-email', { token });
  assert.equal(expired.statusCode, 400);
  assert.equal(expired.json().code, 'INVALID_TOKEN');

  const malformed = await post('/api/auth/verify-email', { token: 'not a token!' });
  assert.equal(malformed.statusCode, 422);
  assert.equal(malformed.json().errors[0].field, 'body.token');
});

test('changing the email voids the old link and mails one to the new address', async () => {
  const { email } = await register();
  const oldToken = await lastToken(email, /Confirm/);
  const { accessToken } = (await login(email)).json();
  const newEmail = `n${randomUUID().slice(0, 8)}@example.com`;
  const patch = await app.inject({
    method: 'PATCH',
    url: '/api/auth/me',
    headers: bearer(accessToken),
    payload: { email: newEmail, currentPassword: PASSWORD },
  });
  assert.equal(patch.statusCode, 200, patch.body);
  const newToken = await lastToken(newEmail, /Confirm/);
  assert.equal((await post('/api/auth/verify-email', { token: oldToken })).statusCode, 400);
  assert.equal((await post('/api/auth/verify-email', { token: newToken })).statusCode, 204);
});

test('password reset: identical answers for known and unknown emails, mail only to the account', async () => {
  const { email } = await register();
  const unknown = `nobody-${randomUUID()}@example.com`;
  const known = await post('/api/auth/password-reset/request', { email: email.toUpperCase() });
  const missing = await post('/api/auth/password-reset/request', { email: unknown });
  assert.equal(known.statusCode, 202);
  assert.equal(missing.statusCode, 202);
  assert.deepEqual(known.json(), missing.json());
  const comparable = (headers: Record<string, unknown>) =>
    Object.keys(headers)
      .filter((h) => !/^(date|x-request-id|x-ratelimit-)/.test(h))
      .sort()
      .map((h) => `${h}: ${h === 'content-length' || h === 'content-type' ? headers[h] : ''}`);
  assert.deepEqual(comparable(known.headers), comparable(missing.headers));

  assert.equal((await mailsTo(unknown)).length, 0);
  const resetMails = (await mailsTo(email)).filter((m) => /Reset your password/.test(m.subject));
  assert.equal(resetMails.length, 1);
  assert.match(resetMails[0]?.text ?? '', /\/reset-password#token=/);
});

test('password reset sets the password, verifies the address, ends every session, and works once', async () => {
  const { email, id } = await register();
  const session = (await login(email)).json();
  assert.equal((await post('/api/auth/password-reset/request', { email })).statusCode, 202);
  const token = await lastToken(email, /Reset your password/);

  const newPassword = 'another quite unusual phrase';
  const reset = await post('/api/auth/password-reset', { token, password: newPassword });
  assert.equal(reset.statusCode, 204, reset.body);

  // Every session is gone: the access token and the refresh token.
  const me = await app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(session.accessToken) });
  assert.equal(me.statusCode, 401);
  const refresh = await post('/api/auth/refresh', { refreshToken: session.refreshToken });
  assert.equal(refresh.statusCode, 401);

  assert.equal((await login(email)).statusCode, 401);
  const fresh = await login(email, newPassword);
  assert.equal(fresh.statusCode, 200);
  assert.equal(fresh.json().user.emailVerified, true, 'a reset link proves the address');
  assert.ok((await auditTypes(id)).includes('password_reset'));

  const reuse = await post('/api/auth/password-reset', { token, password: 'yet another unusual phrase' });
  assert.equal(reuse.statusCode, 400);
  assert.equal(reuse.json().code, 'INVALID_TOKEN');
});

test('a new reset request supersedes the old link; expired links fail; a refused password keeps the link', async () => {
  const { email, id } = await register();
  await post('/api/auth/password-reset/request', { email });
  const first = await lastToken(email, /Reset/);
  await post('/api/auth/password-reset/request', { email });
  const second = await lastToken(email, /Reset/);
  assert.notEqual(first, second);
  const stale = await post('/api/auth/password-reset', { token: first, password: 'a new unusual phrase' });
  assert.equal(stale.statusCode, 400);

  // Screened like registration; the refusal does not burn the link.
  const common = await post('/api/auth/password-reset', { token: second, password: 'password123' });
  assert.equal(common.statusCode, 422);
  assert.equal(common.json().errors[0].field, 'body.password');
  const short = await post('/api/auth/password-reset', { token: second, password: 'short' });
  assert.equal(short.statusCode, 422);

  await app.db
    .updateTable('auth_one_time_tokens')
    .set({ expires_at: new Date(Date.now() - 1000) })
    .where('user_id', '=', id)
    .where('purpose', '=', 'password_reset')
    .execute();
  const expired = await post('/api/auth/password-reset', { token: second, password: 'a new unusual phrase' });
  assert.equal(expired.statusCode, 400);
  assert.equal(expired.json().code, 'INVALID_TOKEN');
});

test('a verification token is no reset token (purpose-bound)', async () => {
  const { email } = await register();
  const token = await lastToken(email, /Confirm/);
  const res = await post('/api/auth/password-reset', { token, password: 'a new unusual phrase' });
  assert.equal(res.statusCode, 400);
  assert.equal((await post('/api/auth/verify-email', { token })).statusCode, 204);
});

test('mail endpoints are limited per email address and per IP, with 429 and Retry-After', async () => {
  const limited = await buildTestApp({ AUTH_EMAIL_RATE_PER_ADDRESS: '2', AUTH_EMAIL_RATE_PER_IP: '3' });
  const request = (email: string, ip: string) =>
    limited.inject({ method: 'POST', url: '/api/auth/password-reset/request', payload: { email }, remoteAddress: ip });

  // Per address: the third request for one address is refused, whichever IP it comes from.
  const target = `t${randomUUID()}@example.com`;
  assert.equal((await request(target, someIp())).statusCode, 202);
  assert.equal((await request(target.toUpperCase(), someIp())).statusCode, 202);
  const perAddress = await request(target, someIp());
  assert.equal(perAddress.statusCode, 429);
  assert.equal(perAddress.json().code, 'RATE_LIMITED');
  assert.ok(Number(perAddress.headers['retry-after']) > 0);

  // Per IP: the fourth request from one IP is refused, whatever address it names.
  const ip = someIp();
  for (let i = 0; i < 3; i++) assert.equal((await request(`ip${i}-${randomUUID()}@example.com`, ip)).statusCode, 202);
  const perIpRes = await request(`ip-last-${randomUUID()}@example.com`, ip);
  assert.equal(perIpRes.statusCode, 429);
  assert.ok(Number(perIpRes.headers['retry-after']) > 0);
  assert.equal(perIpRes.headers['content-type'], 'application/problem+json; charset=utf-8');

  // The token endpoints are limited per IP too.
  const guessIp = someIp();
  const guess = () =>
    limited.inject({
      method: 'POST',
      url: '/api/auth/verify-email',
      payload: { token: 'x'.repeat(43) },
      remoteAddress: guessIp,
    });
  for (let i = 0; i < 3; i++) assert.equal((await guess()).statusCode, 400);
  assert.equal((await guess()).statusCode, 429);
});

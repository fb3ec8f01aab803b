import assert from 'node:assert/strict';
import { randomInt, randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { buildTestApp } from '../../../helpers/app.ts';
import { lastMailedToken, mailsTo } from '../../../helpers/mail.ts';
import { bearerLogin, cookieLogin, PASSWORD, register } from '../support.ts';

/**
 * A password or email change, through the auth API (PATCH /api/auth/me, with the current password)
 * or RealWorld's PUT /api/user (without it, as its spec requires): other sessions end, the old
 * address is told, and an email change can be undone from the old address.
 */

const app = await buildTestApp();
const NEW_PASSWORD = 'another long unusual passphrase';

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
const realWorld = (token: string) => ({ authorization: `Token ${token}` });
const someIp = () => `127.${randomInt(1, 255)}.${randomInt(1, 255)}.${randomInt(1, 255)}`;

const me = (headers: Record<string, string>) => app.inject({ method: 'GET', url: '/api/auth/me', headers });
const refresh = (refreshToken: string) =>
  app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken } });
const patchMe = (headers: Record<string, string>, payload: object) =>
  app.inject({ method: 'PATCH', url: '/api/auth/me', headers, payload });
const putUser = (token: string, user: object) =>
  app.inject({ method: 'PUT', url: '/api/user', headers: realWorld(token), payload: { user } });
const revert = (token: string) =>
  app.inject({ method: 'POST', url: '/api/auth/email-change/revert', payload: { token }, remoteAddress: someIp() });
const login = (login: string, password: string) =>
  app.inject({ method: 'POST', url: '/api/auth/login', payload: { login, password } });

async function realWorldUser() {
  const username = `w${randomUUID().slice(0, 8)}`;
  const user = { username, email: `${username}@example.com`, password: PASSWORD };
  const res = await app.inject({ method: 'POST', url: '/api/users', payload: { user } });
  assert.equal(res.statusCode, 201, res.body);
  const again = await app.inject({ method: 'POST', url: '/api/users/login', payload: { user } });
  assert.equal(again.statusCode, 200, again.body);
  return { ...user, token: res.json().user.token as string, otherToken: again.json().user.token as string };
}

async function auditOf(email: string) {
  const rows = await app.db
    .selectFrom('auth_audit_events as e')
    .innerJoin('users as u', 'u.id', 'e.user_id')
    .select(['e.type', 'e.details'])
    .where('u.email', '=', email)
    .orderBy('e.id')
    .execute();
  return rows.filter((row) => !row.type.startsWith('login'));
}

async function noticesTo(email: string, subject: RegExp) {
  return (await mailsTo(app, email)).filter((m) => subject.test(m.subject));
}

test('PATCH /api/auth/me: a new password ends every other session and token, keeps this one, and is mailed', async () => {
  const account = await register(app);
  const mine = await bearerLogin(app, account);
  const other = await bearerLogin(app, account);
  const cookie = await cookieLogin(app, account);

  const res = await patchMe(bearer(mine.accessToken), { password: NEW_PASSWORD, currentPassword: PASSWORD });
  assert.equal(res.statusCode, 200, res.body);

  assert.equal((await me(bearer(mine.accessToken))).statusCode, 200);
  assert.equal((await refresh(mine.refreshToken)).statusCode, 200);
  assert.equal((await me(bearer(other.accessToken))).statusCode, 401);
  assert.equal((await refresh(other.refreshToken)).statusCode, 401);
  assert.equal((await me({ cookie: cookie.header })).statusCode, 401);
  assert.equal((await login(account.email, PASSWORD)).statusCode, 401);
  assert.equal((await login(account.email, NEW_PASSWORD)).statusCode, 200);

  const notices = await noticesTo(account.email, /^Your password was changed$/);
  assert.equal(notices.length, 1);
  assert.match(notices[0]?.text ?? '', /every other session of the account was signed out/);
  assert.deepEqual(
    (await auditOf(account.email)).map((e) => e.type),
    ['password_changed'],
  );
});

test('PATCH /api/auth/me from a cookie session keeps that cookie session and ends the bearer ones', async () => {
  const account = await register(app);
  const other = await bearerLogin(app, account);
  const cookie = await cookieLogin(app, account);
  const res = await patchMe(
    { cookie: cookie.header, origin: 'http://localhost' },
    { password: NEW_PASSWORD, currentPassword: PASSWORD },
  );
  assert.equal(res.statusCode, 200, res.body);
  assert.equal((await me({ cookie: cookie.header })).statusCode, 200);
  assert.equal((await me(bearer(other.accessToken))).statusCode, 401);
});

test("PUT /api/user (RealWorld): a new password ends the account's other day-long tokens, keeps the caller's, and is mailed", async () => {
  const user = await realWorldUser();
  const account = { id: '', email: user.email, username: user.username, password: PASSWORD };
  const authApi = await bearerLogin(app, account);

  const res = await putUser(user.token, { password: NEW_PASSWORD });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().user.token, user.token);

  const current = await app.inject({ method: 'GET', url: '/api/user', headers: realWorld(user.token) });
  assert.equal(current.statusCode, 200, current.body);
  const stale = await app.inject({ method: 'GET', url: '/api/user', headers: realWorld(user.otherToken) });
  assert.equal(stale.statusCode, 401);
  assert.deepEqual(stale.json(), { errors: { token: ['is invalid'] } });
  assert.equal((await me(bearer(authApi.accessToken))).statusCode, 401);
  assert.equal((await refresh(authApi.refreshToken)).statusCode, 401);

  assert.equal((await noticesTo(user.email, /^Your password was changed$/)).length, 1);
  assert.deepEqual(
    (await auditOf(user.email)).map((e) => e.type),
    ['password_changed'],
  );
});

test('PUT /api/user (RealWorld): a new email is unverified, audited, and the old address can undo it and end every session', async () => {
  const user = await realWorldUser();
  await mailsTo(app, user.email);
  const newEmail = `n${randomUUID().slice(0, 8)}@example.com`;
  const res = await putUser(user.token, { email: newEmail });
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().user.email, newEmail);
  const account = await me(bearer(user.token));
  assert.equal(account.json().emailVerified, false);

  assert.equal((await noticesTo(newEmail, /Confirm your email/)).length, 1);
  const [notice] = await noticesTo(user.email, /^The email address of your account was changed$/);
  assert.ok(notice, 'the old address is told');
  assert.match(notice.text, new RegExp(`from ${user.email} to ${newEmail}`));
  const token = await lastMailedToken(app, user.email, /^The email address of your account was changed$/);
  assert.match(notice.text, /\/revert-email-change#token=/);

  assert.equal((await revert(token)).statusCode, 204);
  assert.equal((await me(bearer(user.token))).statusCode, 401, 'every session ended, the caller too');
  assert.equal((await me(bearer(user.otherToken))).statusCode, 401);
  const back = await login(user.email, PASSWORD);
  assert.equal(back.statusCode, 200, back.body);
  assert.equal(back.json().user.email, user.email);
  assert.equal(back.json().user.emailVerified, true, 'the link proved the old address');

  const again = await revert(token);
  assert.equal(again.statusCode, 400);
  assert.equal(again.json().code, 'INVALID_TOKEN');
  const audit = await auditOf(user.email);
  assert.deepEqual(
    audit.map((e) => [e.type, e.details]),
    [
      ['email_changed', { from: user.email, to: newEmail }],
      ['email_change_reverted', { from: newEmail, to: user.email }],
    ],
  );
});

test('PATCH /api/auth/me email changes: each old address gets its own link; a later link never cancels an earlier one', async () => {
  const account = await register(app);
  const { accessToken } = await bearerLogin(app, account);
  const second = `s${randomUUID().slice(0, 8)}@example.com`;
  const third = `t${randomUUID().slice(0, 8)}@example.com`;
  for (const email of [second, third]) {
    const res = await patchMe(bearer(accessToken), { email, currentPassword: PASSWORD });
    assert.equal(res.statusCode, 200, res.body);
  }
  const subject = /^The email address of your account was changed$/;
  const ownersLink = await lastMailedToken(app, account.email, subject);
  const laterLink = await lastMailedToken(app, second, subject);

  // Whoever holds the second address uses their link first: the owner's link still wins afterwards.
  assert.equal((await revert(laterLink)).statusCode, 204);
  assert.equal((await login(second, PASSWORD)).statusCode, 200);
  assert.equal((await revert(ownersLink)).statusCode, 204);
  assert.equal((await login(account.email, PASSWORD)).statusCode, 200);
});

test('PATCH /api/auth/me: undoing the first change voids the links of later ones', async () => {
  const account = await register(app);
  const { accessToken } = await bearerLogin(app, account);
  const second = `s${randomUUID().slice(0, 8)}@example.com`;
  const third = `t${randomUUID().slice(0, 8)}@example.com`;
  for (const email of [second, third]) {
    assert.equal((await patchMe(bearer(accessToken), { email, currentPassword: PASSWORD })).statusCode, 200);
  }
  const subject = /^The email address of your account was changed$/;
  const ownersLink = await lastMailedToken(app, account.email, subject);
  const laterLink = await lastMailedToken(app, second, subject);
  assert.equal((await revert(ownersLink)).statusCode, 204);
  assert.equal((await revert(laterLink)).statusCode, 400);
  assert.equal((await login(account.email, PASSWORD)).statusCode, 200);
});

test('undoing an email change when the old address was registered since is a 409, and the link stays unused', async () => {
  const user = await realWorldUser();
  const newEmail = `n${randomUUID().slice(0, 8)}@example.com`;
  assert.equal((await putUser(user.token, { email: newEmail })).statusCode, 200);
  const token = await lastMailedToken(app, user.email, /^The email address of your account was changed$/);
  const squatter = await app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: { email: user.email, username: `q${randomUUID().slice(0, 8)}`, password: PASSWORD },
  });
  assert.equal(squatter.statusCode, 201, squatter.body);
  const res = await revert(token);
  assert.equal(res.statusCode, 409);
  assert.equal(res.json().code, 'EMAIL_TAKEN');
  assert.equal((await me(bearer(user.token))).statusCode, 200, 'nothing changed');
});

test('POST /api/auth/email-change/revert: an unknown or malformed token', async () => {
  const unknown = await revert('x'.repeat(43));
  assert.equal(unknown.statusCode, 400);
  assert.equal(unknown.json().code, 'INVALID_TOKEN');
  const malformed = await app.inject({ method: 'POST', url: '/api/auth/email-change/revert', payload: {} });
  assert.equal(malformed.statusCode, 422);
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeAdmin } from '../../../../src/modules/auth/admin/admin-service.ts';
import { buildTestApp } from '../../../helpers/app.ts';
import { bearerLogin, bearerUser, register } from '../support.ts';

const app = await buildTestApp();

interface Event {
  id: number;
  type: string;
  userId: string | null;
  actorId: string | null;
  ip: string | null;
  userAgent: string | null;
  details: Record<string, unknown>;
  createdAt: string;
}

async function audit(
  headers: Record<string, string>,
  query = '',
): Promise<{ items: Event[]; nextCursor: string | null }> {
  const res = await app.inject({ method: 'GET', url: `/api/auth/audit${query}`, headers });
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

test('log-ins (ok and failed), changes, log-outs and refresh reuse are recorded, newest first', async () => {
  const account = await register(app);
  const failed = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    headers: { 'user-agent': 'curl/8' },
    remoteAddress: '192.0.2.10',
    payload: { login: account.email, password: 'not my password' },
  });
  assert.equal(failed.statusCode, 401);
  const tokens = await bearerLogin(app, account);
  const headers = { authorization: `Bearer ${tokens.accessToken}` };

  const newPassword = 'another long passphrase';
  const newEmail = `changed-${account.email}`;
  const patch = await app.inject({
    method: 'PATCH',
    url: '/api/auth/me',
    headers,
    payload: { email: newEmail, password: newPassword, currentPassword: account.password },
  });
  assert.equal(patch.statusCode, 200, patch.body);

  // Refresh reuse: rotate once, then present the used token again.
  const second = await bearerLogin(app, { ...account, email: newEmail, password: newPassword });
  await app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: second.refreshToken } });
  await app.inject({ method: 'POST', url: '/api/auth/refresh', payload: { refreshToken: second.refreshToken } });

  await app.inject({ method: 'POST', url: '/api/auth/logout', headers });
  const again = await bearerLogin(app, { ...account, email: newEmail, password: newPassword });
  const page = await audit({ authorization: `Bearer ${again.accessToken}` });

  assert.deepEqual(
    page.items.map((e) => e.type),
    [
      'login_succeeded',
      'logout',
      'refresh_token_reused',
      'login_succeeded',
      'email_changed',
      'password_changed',
      'login_succeeded',
      'login_failed',
    ],
  );
  const failure = page.items.at(-1);
  assert.equal(failure?.ip, '192.0.2.10');
  assert.equal(failure?.userAgent, 'curl/8');
  assert.deepEqual(failure?.details, { reason: 'wrong_password' });
  assert.ok(page.items.every((e) => e.userId === account.id && Date.parse(e.createdAt)));
  assert.deepEqual(page.items.find((e) => e.type === 'email_changed')?.details, { from: account.email, to: newEmail });

  // Never a secret: no password, token or hash anywhere in what was stored.
  const stored = JSON.stringify(await app.db.selectFrom('auth_audit_events').selectAll().execute());
  for (const secret of [account.password, newPassword, 'not my password', tokens.refreshToken, second.refreshToken]) {
    assert.ok(!stored.includes(secret), 'a secret reached the audit log');
  }
  assert.doesNotMatch(stored, /\$argon2/);
});

test('a user sees only their own events; asking for someone else’s is refused', async () => {
  const alice = await bearerUser(app);
  const bob = await bearerUser(app);
  const mine = await audit(alice.headers);
  assert.ok(mine.items.length > 0);
  assert.ok(mine.items.every((e) => e.userId === alice.account.id));
  assert.deepEqual((await audit(alice.headers, `?userId=${alice.account.id}`)).items, mine.items);
  const res = await app.inject({
    method: 'GET',
    url: `/api/auth/audit?userId=${bob.account.id}`,
    headers: alice.headers,
  });
  assert.equal(res.statusCode, 403);
  assert.equal((await app.inject({ method: 'GET', url: '/api/auth/audit' })).statusCode, 401);
});

test('an admin sees everyone’s events (failed log-ins for unknown logins too), or one user’s', async () => {
  const admin = await register(app);
  await makeAdmin(app.db, admin.email);
  const adminTokens = await bearerLogin(app, admin);
  const headers = { authorization: `Bearer ${adminTokens.accessToken}` };
  const user = await bearerUser(app);
  await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { login: 'ghost@example.com', password: 'whatever it is' },
  });

  // The admin's role change is audited with the admin as actor.
  await app.inject({
    method: 'PATCH',
    url: `/api/auth/users/${user.account.id}`,
    headers,
    payload: { disabled: true },
  });
  await app.inject({ method: 'PATCH', url: `/api/auth/users/${user.account.id}`, headers, payload: { role: 'admin' } });
  const theirs = await audit(headers, `?userId=${user.account.id}`);
  assert.deepEqual(
    theirs.items.map((e) => [e.type, e.actorId]),
    [
      ['role_changed', admin.id],
      ['account_disabled', admin.id],
      ['login_succeeded', null],
    ],
  );
  assert.deepEqual(theirs.items[0]?.details, { from: 'user', to: 'admin' });

  const all = await audit(headers, '?limit=100');
  const ghost = all.items.find((e) => e.type === 'login_failed' && e.userId === null);
  assert.deepEqual(ghost?.details, { reason: 'unknown_login' });
  assert.ok(new Set(all.items.map((e) => e.userId)).size > 2);
  const promoted = all.items.find((e) => e.userId === admin.id && e.type === 'role_changed');
  assert.deepEqual(promoted?.details, { from: 'user', to: 'admin', via: 'cli' });
});

test('the audit log pages newest first with a cursor', async () => {
  const user = await bearerUser(app);
  for (let i = 0; i < 3; i++) await bearerLogin(app, user.account);
  const ids: number[] = [];
  let cursor: string | null = null;
  do {
    const page = await audit(user.headers, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
    ids.push(...page.items.map((e) => e.id));
    cursor = page.nextCursor;
  } while (cursor);
  assert.equal(ids.length, 4);
  assert.deepEqual(
    ids,
    [...ids].sort((a, b) => b - a),
  );
  const bad = await app.inject({ method: 'GET', url: '/api/auth/audit?cursor=abc', headers: user.headers });
  assert.equal(bad.statusCode, 422);
});

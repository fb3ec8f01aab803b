import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import { promisify } from 'node:util';
import { makeAdmin } from '../../../../src/modules/auth/admin/admin-service.ts';
import { buildTestApp } from '../../../helpers/app.ts';
import { bearerLogin, bearerUser, register } from '../support.ts';

const app = await buildTestApp();

/** A logged-in admin (made the way the first admin is: makeAdmin, what the CLI runs). */
async function adminUser() {
  const account = await register(app);
  assert.equal(await makeAdmin(app.db, account.email.toUpperCase()), 'promoted');
  const tokens = await bearerLogin(app, account);
  return { account, headers: { authorization: `Bearer ${tokens.accessToken}` } };
}

const patchUser = (headers: Record<string, string>, id: string, payload: unknown) =>
  app.inject({ method: 'PATCH', url: `/api/auth/users/${id}`, headers, payload: payload as object });

test('admin routes need authentication (401) and the admin role (403)', async () => {
  const user = await bearerUser(app);
  assert.equal((await app.inject({ method: 'GET', url: '/api/auth/users' })).statusCode, 401);
  const res = await app.inject({ method: 'GET', url: '/api/auth/users', headers: user.headers });
  assert.equal(res.statusCode, 403);
  assert.equal(res.json().code, 'FORBIDDEN');
  assert.equal((await patchUser(user.headers, user.account.id, { role: 'admin' })).statusCode, 403);
  assert.equal((await app.inject({ method: 'GET', url: '/api/auth/me', headers: user.headers })).json().role, 'user');
});

test('GET /users lists newest first, pages with a cursor, and searches by email or username prefix', async () => {
  const admin = await adminUser();
  const tag = `q${randomUUID().slice(0, 6)}`;
  const made = [];
  for (let i = 0; i < 3; i++) {
    const email = `${tag}${i}@example.com`;
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email, username: `${tag}_${i}`, password: 'a long unusual passphrase' },
    });
    made.push(res.json().id);
  }
  const byPrefix = await app.inject({
    method: 'GET',
    url: `/api/auth/users?q=${tag.toUpperCase()}&limit=2`,
    headers: admin.headers,
  });
  assert.equal(byPrefix.statusCode, 200);
  const first = byPrefix.json();
  assert.deepEqual(
    first.items.map((u: { id: string }) => u.id),
    [made[2], made[1]],
  );
  assert.equal(first.items[0].disabled, false);
  assert.equal(first.items[0].disabledAt, null);
  assert.equal(first.items[0].role, 'user');
  const second = await app.inject({
    method: 'GET',
    url: `/api/auth/users?q=${tag}&limit=2&cursor=${first.nextCursor}`,
    headers: admin.headers,
  });
  assert.deepEqual(second.json(), { items: [second.json().items[0]], nextCursor: null });
  assert.equal(second.json().items[0].id, made[0]);

  const byUsername = await app.inject({ method: 'GET', url: `/api/auth/users?q=${tag}_1`, headers: admin.headers });
  assert.deepEqual(
    byUsername.json().items.map((u: { id: string }) => u.id),
    [made[1]],
  );
  // LIKE wildcards are literal: `%` matches nobody.
  const wildcard = await app.inject({ method: 'GET', url: '/api/auth/users?q=%25', headers: admin.headers });
  assert.deepEqual(wildcard.json().items, []);
  const bad = await app.inject({ method: 'GET', url: '/api/auth/users?cursor=xyz', headers: admin.headers });
  assert.equal(bad.statusCode, 422);
  const otherSearch = await app.inject({
    method: 'GET',
    url: `/api/auth/users?q=zzz&cursor=${first.nextCursor}`,
    headers: admin.headers,
  });
  assert.equal(otherSearch.statusCode, 422, 'a cursor is bound to its search');
});

test('PATCH /users/:id changes the role; the user’s live sessions see it', async () => {
  const admin = await adminUser();
  const user = await bearerUser(app);
  // The user's session is in the cache with role user.
  assert.equal((await app.inject({ method: 'GET', url: '/api/auth/users', headers: user.headers })).statusCode, 403);
  const res = await patchUser(admin.headers, user.account.id, { role: 'admin' });
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().role, 'admin');
  assert.equal((await app.inject({ method: 'GET', url: '/api/auth/users', headers: user.headers })).statusCode, 200);
  const back = await patchUser(admin.headers, user.account.id, { role: 'user' });
  assert.equal(back.json().role, 'user');
  assert.equal((await app.inject({ method: 'GET', url: '/api/auth/users', headers: user.headers })).statusCode, 403);
});

test('disabling ends every session and refuses log-in; enabling lets the user back in', async () => {
  const admin = await adminUser();
  const user = await bearerUser(app);
  const cookieLogin = await app.inject({
    method: 'POST',
    url: '/api/auth/session',
    payload: { login: user.account.email, password: user.account.password },
  });
  const cookie = `gw_session=${cookieLogin.cookies[0]?.value}`;

  const res = await patchUser(admin.headers, user.account.id, { disabled: true });
  assert.equal(res.statusCode, 200);
  assert.equal(res.json().disabled, true);
  assert.ok(Date.parse(res.json().disabledAt));
  assert.equal((await app.inject({ method: 'GET', url: '/api/auth/me', headers: user.headers })).statusCode, 401);
  assert.equal((await app.inject({ method: 'GET', url: '/api/auth/me', headers: { cookie } })).statusCode, 401);
  const login = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { login: user.account.email, password: user.account.password },
  });
  assert.equal(login.statusCode, 403);
  assert.equal(login.json().code, 'ACCOUNT_DISABLED');

  const enabled = await patchUser(admin.headers, user.account.id, { disabled: false });
  assert.equal(enabled.json().disabled, false);
  assert.equal(enabled.json().disabledAt, null);
  await bearerLogin(app, user.account);
});

test('PATCH /users/:id: unknown user 404, own role/status 403, invalid body 422', async () => {
  const admin = await adminUser();
  const missing = await patchUser(admin.headers, '00000000-0000-4000-8000-000000000000', { role: 'admin' });
  assert.equal(missing.statusCode, 404);
  assert.equal(missing.json().code, 'USER_NOT_FOUND');
  const self = await patchUser(admin.headers, admin.account.id, { role: 'user' });
  assert.equal(self.statusCode, 403);
  assert.equal(self.json().code, 'SELF_CHANGE_REFUSED');
  assert.equal((await patchUser(admin.headers, admin.account.id, { disabled: true })).statusCode, 403);
  assert.equal((await patchUser(admin.headers, admin.account.id, {})).statusCode, 422);
  assert.equal((await patchUser(admin.headers, admin.account.id, { role: 'root' })).statusCode, 422);
  assert.equal((await patchUser(admin.headers, 'not-a-uuid', { role: 'user' })).statusCode, 422);
});

test('makeAdmin: promotes once, reports an admin already, and an unknown email', async () => {
  const account = await register(app);
  assert.equal(await makeAdmin(app.db, account.email), 'promoted');
  assert.equal(await makeAdmin(app.db, account.email), 'already-admin');
  assert.equal(await makeAdmin(app.db, 'nobody@example.com'), 'not-found');
});

const run = promisify(execFile);
const node = new URL('../../../../node_modules/.bin/node', import.meta.url).pathname;
const cli = new URL('../../../../src/modules/auth/admin/make-admin-cli.ts', import.meta.url).pathname;

test('npm run auth:make-admin -- <email> (the CLI) against the configured database', async (t) => {
  const usage = await run(node, [cli]).catch((error: { code: number; stderr: string }) => error);
  assert.equal((usage as { code: number }).code, 2);
  assert.match((usage as { stderr: string }).stderr, /usage: npm run auth:make-admin -- <email>/);

  const database = app.config.database;
  if (database.kind !== 'postgres') {
    t.diagnostic('the in-memory PGlite of this test is not reachable from another process: run with TEST_DATABASE_URL');
    return;
  }
  const env = { ...process.env, NODE_ENV: 'test', DATABASE_URL: database.url };
  const account = await register(app);
  const ok = await run(node, [cli, account.email], { env });
  assert.match(ok.stdout, /is now an admin/);
  const user = await app.db.selectFrom('users').select('role').where('id', '=', account.id).executeTakeFirstOrThrow();
  assert.equal(user.role, 'admin');
  const missing = await run(node, [cli, 'nobody@example.com'], { env }).catch((error) => error);
  assert.equal(missing.code, 1);
  assert.match(missing.stderr, /No account has the email/);
});

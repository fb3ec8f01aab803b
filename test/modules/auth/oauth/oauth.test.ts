import assert from 'node:assert/strict';
import { test } from 'node:test';
import { oauthWorld } from './support.ts';

const { app, oidc, PASSWORD, unique, start, authorize, callback, exchange, flow, loggedIn, registerPasswordAccount } =
  await oauthWorld();

test('lists the providers with their log-in URLs', async () => {
  const res = await app.inject({ method: 'GET', url: '/api/auth/oauth' });
  assert.equal(res.statusCode, 200);
  assert.deepEqual(
    res.json().items.map((p: { name: string; kind: string; label: string }) => [p.name, p.kind, p.label]),
    [
      ['mock', 'oidc', 'Mock ID'],
      ['github', 'github', 'GitHub'],
      ['gone', 'oidc', 'Gone'],
    ],
  );
  assert.equal(res.json().items[0].loginUrl, 'http://127.0.0.1:3000/api/auth/oauth/mock');
});

test('OIDC: start → provider → callback → logged in as a new, verified account; the next log-in finds it', async () => {
  const sub = `sub-${unique()}`;
  const email = `o${unique()}@example.com`;
  oidc.claims = { sub, email, email_verified: true, preferred_username: 'Ada Lovelace!' };

  const started = await start('mock');
  const params = started.location.searchParams;
  assert.equal(started.location.origin + started.location.pathname, `${oidc.issuer}/authorize`);
  assert.equal(params.get('response_type'), 'code');
  assert.equal(params.get('client_id'), 'groundwork-test');
  assert.equal(params.get('redirect_uri'), 'http://127.0.0.1:3000/api/auth/oauth/mock/callback');
  assert.equal(params.get('scope'), 'openid email profile');
  assert.equal(params.get('code_challenge_method'), 'S256');
  assert.match(params.get('code_challenge') ?? '', /^[A-Za-z0-9_-]{43}$/);
  assert.ok(params.get('state') && params.get('nonce'));
  assert.equal(started.cookie.httpOnly, true);
  assert.equal(started.cookie.sameSite, 'Lax');
  assert.equal(started.cookie.path, '/api/auth/oauth');

  const first = await loggedIn(await callback(await authorize(started.location), started.binding));
  assert.equal(first.me.email, email);
  assert.equal(first.me.emailVerified, true);
  assert.equal(first.me.username, 'AdaLovelace');
  assert.equal(first.tokens.tokenType, 'Bearer');

  const identity = await app.db
    .selectFrom('auth_identities')
    .selectAll()
    .where('provider', '=', 'mock')
    .where('subject', '=', sub)
    .executeTakeFirstOrThrow();
  assert.equal(identity.user_id, first.me.id);
  assert.equal(identity.email, email);

  // Same subject, even with another email now: the identity decides, not the address.
  oidc.claims = { sub, email: `changed-${unique()}@example.com`, email_verified: true };
  const second = await loggedIn(await flow());
  assert.equal(second.me.id, first.me.id);

  // The login code works once.
  const again = await exchange(first.code);
  assert.equal(again.statusCode, 400);
  assert.equal(again.json().code, 'INVALID_LOGIN_CODE');
});

test('unknown provider is a 404 problem; an unreachable issuer is a 502 problem', async () => {
  const unknown = await app.inject({ method: 'GET', url: '/api/auth/oauth/nope' });
  assert.equal(unknown.statusCode, 404);
  assert.equal(unknown.json().code, 'OAUTH_PROVIDER_NOT_FOUND');
  const unknownCallback = await app.inject({ method: 'GET', url: '/api/auth/oauth/nope/callback?state=x&code=y' });
  assert.equal(unknownCallback.statusCode, 404);

  const gone = await app.inject({ method: 'GET', url: '/api/auth/oauth/gone' });
  assert.equal(gone.statusCode, 502);
  assert.equal(gone.json().code, 'OAUTH_PROVIDER_UNAVAILABLE');
});

test('state: missing, unknown, reused, expired, from another browser or another provider are refused', async () => {
  oidc.claims = { sub: `sub-${unique()}`, email: `s${unique()}@example.com`, email_verified: true };
  const expectInvalid = (res: Awaited<ReturnType<typeof callback>>) => {
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().code, 'OAUTH_STATE_INVALID');
    assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
  };

  const a = await start('mock');
  const back = await authorize(a.location);

  const missing = new URL(back);
  missing.searchParams.delete('state');
  expectInvalid(await callback(missing, a.binding));
  const unknown = new URL(back);
  unknown.searchParams.set('state', 'forged-state');
  expectInvalid(await callback(unknown, a.binding));

  // Another browser (no binding cookie, or its own) cannot finish this flow; the attempt uses the state up.
  expectInvalid(await callback(back, undefined));
  const b = await start('mock');
  expectInvalid(
    await callback(
      await authorize(b.location),
      a.binding.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
    ),
  );

  // Single use: the first callback wins, a replay loses.
  const c = await start('mock', a.binding);
  assert.equal(c.binding, a.binding, 'one binding per browser, so parallel tabs work');
  const cBack = await authorize(c.location);
  await loggedIn(await callback(cBack, c.binding));
  expectInvalid(await callback(cBack, c.binding));

  // A state is for its provider only.
  const d = await start('mock');
  const dBack = await authorize(d.location);
  expectInvalid(await callback(new URL(`http://x/api/auth/oauth/github/callback${dBack.search}`), d.binding));

  // Ten minutes, then gone.
  const e = await start('mock');
  const eBack = await authorize(e.location);
  await app.db
    .updateTable('auth_oauth_states')
    .set({ expires_at: new Date(Date.now() - 1000) })
    .execute();
  expectInvalid(await callback(eBack, e.binding));
});

test('an ID token whose nonce does not match is refused, and no account is made', async () => {
  const email = `nonce${unique()}@example.com`;
  oidc.claims = { sub: `sub-${unique()}`, email, email_verified: true };
  oidc.forceNonce = 'a-nonce-from-another-flow';
  try {
    const res = await flow();
    assert.equal(res.statusCode, 400, res.body);
    assert.equal(res.json().code, 'OAUTH_CALLBACK_FAILED');
  } finally {
    oidc.forceNonce = undefined;
  }
  const user = await app.db.selectFrom('users').select('id').where('email', '=', email).executeTakeFirst();
  assert.equal(user, undefined);
});

test('consent denied at the provider, and a forged code, are clear 400 problems', async () => {
  const denied = await start('mock');
  const deniedUrl = new URL('http://127.0.0.1:3000/api/auth/oauth/mock/callback');
  deniedUrl.searchParams.set('error', 'access_denied');
  deniedUrl.searchParams.set('state', denied.location.searchParams.get('state') ?? '');
  const res = await callback(deniedUrl, denied.binding);
  assert.equal(res.statusCode, 400);
  assert.equal(res.json().code, 'OAUTH_ACCESS_DENIED');

  const forged = await start('mock');
  const forgedUrl = new URL(deniedUrl);
  forgedUrl.search = '';
  forgedUrl.searchParams.set('code', 'not-a-code-the-provider-issued');
  forgedUrl.searchParams.set('state', forged.location.searchParams.get('state') ?? '');
  const bad = await callback(forgedUrl, forged.binding);
  assert.equal(bad.statusCode, 400, bad.body);
  assert.equal(bad.json().code, 'OAUTH_CALLBACK_FAILED');
});

test('linking: only a provider-verified email links, and only to an account whose email is verified', async () => {
  // Verified on both sides: linked to the existing account, which keeps its password.
  const linkedEmail = `link${unique()}@example.com`;
  const linkedId = await registerPasswordAccount(linkedEmail, true);
  oidc.claims = { sub: `sub-${unique()}`, email: linkedEmail.toUpperCase(), email_verified: true };
  const linked = await loggedIn(await flow());
  assert.equal(linked.me.id, linkedId);
  const password = await app.inject({
    method: 'POST',
    url: '/api/auth/login',
    payload: { login: linkedEmail, password: PASSWORD },
  });
  assert.equal(password.statusCode, 200);
  const audit = await app.db
    .selectFrom('auth_audit_events')
    .select(['type', 'details'])
    .where('user_id', '=', linkedId)
    .execute();
  assert.ok(audit.some((e) => e.type === 'oauth_linked' && e.details.provider === 'mock'));
  assert.ok(audit.some((e) => e.type === 'login_succeeded' && e.details.method === 'oauth'));

  // The provider does not vouch for the address: no link, a 409 that says what to do.
  const unverifiedAtProvider = `up${unique()}@example.com`;
  await registerPasswordAccount(unverifiedAtProvider, true);
  for (const emailVerified of [false, 'true', undefined]) {
    oidc.claims = { sub: `sub-${unique()}`, email: unverifiedAtProvider, email_verified: emailVerified };
    const res = await flow();
    assert.equal(res.statusCode, 409, res.body);
    assert.equal(res.json().code, 'OAUTH_ACCOUNT_EXISTS');
  }

  // Our side is unverified (anyone could have typed that address): no link either.
  const unverifiedHere = `uh${unique()}@example.com`;
  await registerPasswordAccount(unverifiedHere, false);
  oidc.claims = { sub: `sub-${unique()}`, email: unverifiedHere, email_verified: true };
  const res = await flow();
  assert.equal(res.statusCode, 409);
  assert.equal(res.json().code, 'OAUTH_ACCOUNT_UNVERIFIED');

  // No account and an unverified address: no account is created from it.
  const stranger = `st${unique()}@example.com`;
  oidc.claims = { sub: `sub-${unique()}`, email: stranger, email_verified: false };
  const refused = await flow();
  assert.equal(refused.statusCode, 403);
  assert.equal(refused.json().code, 'OAUTH_EMAIL_UNVERIFIED');
  assert.equal(
    await app.db.selectFrom('users').select('id').where('email', '=', stranger).executeTakeFirst(),
    undefined,
  );
});

test('a login code expires after 60 seconds', async () => {
  oidc.claims = { sub: `sub-${unique()}`, email: `exp${unique()}@example.com`, email_verified: true };
  const res = await flow();
  assert.equal(res.statusCode, 302);
  const code = new URL(res.headers.location as string).searchParams.get('code') ?? '';
  await app.db
    .updateTable('auth_one_time_tokens')
    .set({ expires_at: new Date(Date.now() - 1000) })
    .where('purpose', '=', 'login_code')
    .execute();
  const late = await exchange(code);
  assert.equal(late.statusCode, 400);
  assert.equal(late.json().code, 'INVALID_LOGIN_CODE');
});

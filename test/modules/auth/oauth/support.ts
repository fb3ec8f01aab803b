import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { buildTestApp } from '../../../helpers/app.ts';
import { oauthEnv, startFakeGitHub, startMockOidc } from '../../../helpers/oauth.ts';

/**
 * The OAuth tests' world: a mock OpenID Connect issuer and a fake GitHub on loopback, the app
 * configured for both (and for a provider that is not there), and a browser's steps through a
 * log-in as helpers.
 */
export async function oauthWorld() {
  const oidc = await startMockOidc();
  const github = await startFakeGitHub('gh-client', 'gh-secret');
  const POST_LOGIN = 'http://127.0.0.1:5173/welcome?from=oauth';
  const app = await buildTestApp({
    ...oauthEnv(oidc.issuer, github.url),
    // A third provider whose issuer is not there: its log-in must fail as 502, not crash or hang.
    OAUTH_PROVIDERS: 'mock,github,gone',
    OAUTH_GONE_ISSUER: 'http://127.0.0.1:9',
    OAUTH_GONE_CLIENT_ID: 'x',
    OAUTH_POST_LOGIN_URL: POST_LOGIN,
    // Every inject comes from 127.0.0.1 and Redis keeps counts across runs: the per-IP limit of
    // /oauth/exchange is not what these tests are about (recovery.test.ts covers the limits).
    AUTH_EMAIL_RATE_PER_IP: '100000',
  });
  const BINDING = 'gw_oauth_binding';
  const PASSWORD = 'a long unusual passphrase';

  const unique = () => randomUUID().slice(0, 8);

  /** GET /oauth/:provider: the redirect to the provider, and the browser-binding cookie. */
  async function start(provider: string, binding?: string) {
    const res = await app.inject({
      method: 'GET',
      url: `/api/auth/oauth/${provider}`,
      ...(binding ? { cookies: { [BINDING]: binding } } : {}),
    });
    assert.equal(res.statusCode, 302, res.body);
    const cookie = res.cookies.find((c) => c.name === BINDING);
    assert.ok(cookie);
    return { location: new URL(res.headers.location as string), binding: cookie.value, cookie };
  }

  /** Lets the provider's authorize endpoint (which approves at once) answer; returns the callback URL. */
  async function authorize(location: URL): Promise<URL> {
    const res = await fetch(location, { redirect: 'manual' });
    assert.equal(res.status, 302);
    return new URL(res.headers.get('location') as string);
  }

  const callback = (url: URL, binding: string | undefined) =>
    app.inject({
      method: 'GET',
      url: url.pathname + url.search,
      ...(binding ? { cookies: { [BINDING]: binding } } : {}),
    });

  async function exchange(code: string) {
    return app.inject({ method: 'POST', url: '/api/auth/oauth/exchange', payload: { code } });
  }

  /** The whole flow through a provider; returns the callback's answer. */
  async function flow(provider = 'mock') {
    const started = await start(provider);
    return callback(await authorize(started.location), started.binding);
  }

  /** Follows a successful callback: exchange its code and read /me. */
  async function loggedIn(res: Awaited<ReturnType<typeof callback>>) {
    assert.equal(res.statusCode, 302, res.body);
    const target = new URL(res.headers.location as string);
    assert.equal(`${target.origin}${target.pathname}`, 'http://127.0.0.1:5173/welcome');
    assert.equal(target.searchParams.get('from'), 'oauth', 'the configured query survives');
    const code = target.searchParams.get('code');
    assert.ok(code);
    const tokens = await exchange(code);
    assert.equal(tokens.statusCode, 200, tokens.body);
    const me = await app.inject({
      method: 'GET',
      url: '/api/auth/me',
      headers: { authorization: `Bearer ${tokens.json().accessToken}` },
    });
    assert.equal(me.statusCode, 200);
    return { code, tokens: tokens.json(), me: me.json() };
  }

  async function registerPasswordAccount(email: string, verified: boolean) {
    const res = await app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email, username: `p${unique()}`, password: PASSWORD },
    });
    assert.equal(res.statusCode, 201, res.body);
    if (verified) {
      await app.db
        .updateTable('users')
        .set({ email_verified_at: new Date() })
        .where('id', '=', res.json().id)
        .execute();
    }
    return res.json().id as string;
  }

  return {
    app,
    oidc,
    github,
    BINDING,
    PASSWORD,
    unique,
    start,
    authorize,
    callback,
    exchange,
    flow,
    loggedIn,
    registerPasswordAccount,
  };
}

import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { after, test } from 'node:test';
import { buildApp } from '../../../../src/app.ts';
import { loadConfig } from '../../../../src/config.ts';
import { testEnv } from '../../../helpers/app.ts';
import { browserSkip, launchChromium } from '../../../helpers/browser.ts';
import { oauthEnv, startFakeGitHub, startMockOidc } from '../../../helpers/oauth.ts';

/**
 * Once, end to end, in a real browser: a page with "Log in with Mock ID", a click, the provider
 * (which approves at once), the callback, and a landing page that exchanges the one-time code and
 * shows who is logged in.
 */
const skip = browserSkip;
if (skip) console.log(`# skipping the browser OAuth test: ${skip}`);

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

// The test app's own pages. Scripts come from a file (the API's CSP forbids inline ones).
const PAGE = (body: string) =>
  `<!doctype html><html><head><meta charset="utf-8"><title>Groundwork test app</title>` +
  `<script type="module" src="/test-app/app.js"></script></head><body>${body}</body></html>`;
const SCRIPT = `
const user = document.querySelector('#user');
if (document.querySelector('#providers')) {
  const { items } = await (await fetch('/api/auth/oauth')).json();
  for (const p of items) {
    const a = Object.assign(document.createElement('a'), { href: p.loginUrl, textContent: 'Log in with ' + p.label });
    document.querySelector('#providers').append(a);
  }
} else if (user) {
  const code = new URLSearchParams(location.search).get('code');
  history.replaceState(null, '', location.pathname); // the code is single-use; keep it out of history
  const res = await fetch('/api/auth/oauth/exchange', {
    method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ code }),
  });
  const tokens = await res.json();
  const me = await (await fetch('/api/auth/me', { headers: { authorization: 'Bearer ' + tokens.accessToken } })).json();
  user.textContent = 'Logged in as ' + me.username + ' <' + me.email + '>';
}
`;

// A bound, so a browser that hangs fails this test instead of holding CI until its own limit.
test('OAuth log-in in headless Chromium: click, provider, callback, logged in', {
  skip,
  timeout: 120_000,
}, async () => {
  const oidc = await startMockOidc();
  const github = await startFakeGitHub('gh-client', 'gh-secret');
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const app = await buildApp(
    loadConfig(
      await testEnv({
        ...oauthEnv(oidc.issuer, github.url),
        PUBLIC_URL: base,
        OAUTH_POST_LOGIN_URL: `${base}/test-app/logged-in`,
        // The browser is always 127.0.0.1 and Redis keeps counts across runs.
        AUTH_EMAIL_RATE_PER_IP: '100000',
      }),
    ),
  );
  // The browser goes first: it holds keep-alive connections to the app.
  let browser: import('playwright-core').Browser | undefined;
  after(async () => {
    await browser?.close();
    await app.close();
  });
  const html = (body: string) => async (_request: unknown, reply: import('fastify').FastifyReply) =>
    reply.type('text/html; charset=utf-8').header('content-security-policy', "default-src 'self'").send(PAGE(body));
  app.get('/test-app/', html('<h1>Welcome</h1><nav id="providers"></nav>'));
  app.get('/test-app/logged-in', html('<p id="user">Logging in…</p>'));
  app.get('/test-app/app.js', async (_request, reply) =>
    reply.type('text/javascript').header('content-security-policy', "default-src 'self'").send(SCRIPT),
  );
  await app.listen({ port, host: '127.0.0.1' });

  oidc.claims = {
    sub: 'browser-user',
    email: 'browser.user@example.com',
    email_verified: true,
    preferred_username: 'browser.user',
  };

  browser = await launchChromium();
  const page = await browser.newPage();
  await page.goto(`${base}/test-app/`);
  await page.getByRole('link', { name: 'Log in with Mock ID' }).click();
  await page.waitForURL(`${base}/test-app/logged-in`, { timeout: 15_000 });
  const user = page.locator('#user');
  await user.filter({ hasText: 'Logged in as' }).waitFor({ timeout: 15_000 });
  assert.equal(await user.textContent(), 'Logged in as browser.user <browser.user@example.com>');
  assert.equal(page.url(), `${base}/test-app/logged-in`, 'the one-time code is gone from the address bar');

  const cookies = await page.context().cookies(`${base}/api/auth/oauth/mock`);
  const binding = cookies.find((c) => c.name === 'gw_oauth_binding');
  assert.ok(binding?.httpOnly, 'the flow binding cookie is HttpOnly');
  if (process.env.OAUTH_BROWSER_SCREENSHOT) await page.screenshot({ path: process.env.OAUTH_BROWSER_SCREENSHOT });
});

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, test } from 'node:test';
import { buildTestApp } from '../../helpers/app.ts';
import { browserSkip, launchChromium } from '../../helpers/browser.ts';
import { createArticle, registerUser, uid } from './helpers.ts';

/**
 * A RealWorld user's whole journey in headless Chromium, from a page on another origin (as a
 * frontend is deployed: CORS preflights included), speaking HTTP as the widely used RealWorld
 * frontends do (journey/client.js says how). No built RealWorld frontend is published on the npm
 * registry, the only one this project can install from, so the page carries their request
 * conventions rather than their UI; what the server sees is what those frontends send.
 */
const skip = browserSkip;
if (skip) console.log(`# skipping the RealWorld frontend journey: ${skip}`);

const CLIENT = readFileSync(new URL('./journey/client.js', import.meta.url), 'utf8');

/** The frontend's origin: its page and script, nothing else. The page finds the API in `?api=`. */
async function startFrontend(): Promise<Server> {
  const page =
    '<!doctype html><html><head><meta charset="utf-8"><title>Conduit</title>' +
    '<script src="/client.js" defer></script></head><body><p id="status">loading</p></body></html>';
  const server = createServer((request, response) => {
    const [type, body] = request.url === '/client.js' ? ['text/javascript', CLIENT] : ['text/html', page];
    response.writeHead(200, { 'content-type': `${type}; charset=utf-8` }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

const address = (server: Server) => `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

/**
 * The frontend's server and the API, which allows the frontend's origin; `bodiless` lists what
 * arrived on requests without a body, to show the journey sent them as frontends do.
 */
async function startServers() {
  const frontend = await startFrontend();
  after(async () => {
    frontend.closeAllConnections();
    await new Promise((resolve) => frontend.close(resolve));
  });
  const bodiless: string[] = [];
  const app = await buildTestApp(
    { AUTH_PASSWORD_SCREEN: 'off', CORS_ORIGINS: address(frontend) },
    {
      register(app) {
        app.addHook('onRequest', async (request) => {
          if (request.method !== 'OPTIONS' && request.headers['content-length'] === '0') {
            bodiless.push(`${request.method} ${request.headers['content-type']}`);
          }
        });
      },
    },
  );
  await app.listen({ port: 0, host: '127.0.0.1' });
  return { frontend, app, bodiless };
}

// Started before the test, so the test's bound is the journey's own, not the time a loaded machine
// takes to build an app.
const servers = skip ? undefined : await startServers();

test('a RealWorld frontend’s journey in Chromium: every step, by fetch and by XMLHttpRequest', {
  skip,
  timeout: 60_000,
}, async () => {
  const { frontend, app, bodiless } = servers as NonNullable<typeof servers>;
  const api = `${address(app.server)}/api`;

  // Older articles, so the global feed has a second page and a tag to filter by.
  const seededAuthor = await registerUser(app, 'seed');
  const seededTag = `tag${uid()}`;
  for (let i = 0; i < 11; i += 1) await createArticle(app, seededAuthor, { tagList: [seededTag] });

  // Closed here, before the servers: it holds keep-alive connections to both.
  const browser = await launchChromium();
  try {
    for (const transport of ['fetch', 'xhr']) {
      const page = await browser.newPage();
      await page.goto(`${address(frontend)}/?api=${encodeURIComponent(api)}`);
      await page.locator('#status', { hasText: 'ready' }).waitFor({ timeout: 10_000 });
      const steps = await page.evaluate(
        ([transport, options]) =>
          (globalThis as unknown as { journey: (t: string, o: unknown) => Promise<unknown> }).journey(
            transport,
            options,
          ),
        [transport, { suffix: uid(), seededAuthor: seededAuthor.username, seededTag }] as const,
      );
      const failed = (steps as Array<{ ok: boolean }>).filter((s) => !s.ok);
      assert.deepEqual(failed, [], `${transport}: a step failed`);
      assert.equal((steps as unknown[]).length, 23, `${transport}: not every step ran`);
      await page.close();
    }
  } finally {
    await browser.close();
  }
  // The bodiless POSTs (follow, favorite) came as the frontends send them: typed as JSON, empty.
  assert.ok(bodiless.includes('POST application/json'), `bodiless requests: ${bodiless.join(', ')}`);
});

import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { createServer as createHttpsServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { Page } from 'playwright-core';
import { buildTestApp } from '../helpers/app.ts';
import { browserSkip, launchChromium } from '../helpers/browser.ts';

/**
 * `/docs` as a person opens it: in Chromium, by this machine's network address rather than
 * localhost (a browser treats localhost as secure and forgives what it does not forgive elsewhere),
 * once over plain http and once through a TLS-terminating proxy, as behind a load balancer.
 */
const lanAddress = Object.values(networkInterfaces())
  .flat()
  .find((entry) => entry && entry.family === 'IPv4' && !entry.internal)?.address;
const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
const skip =
  browserSkip ||
  (lanAddress ? false : 'this machine has no non-loopback IPv4 address') ||
  (hasOpenssl ? false : 'openssl (for the https proxy’s certificate) is absent');
if (skip) console.log(`# skipping the /docs browser test: ${skip}`);

/** A self-signed certificate for `address`, made by openssl in a temporary directory. */
function selfSignedCertificate(address: string): { key: Buffer; cert: Buffer } {
  const dir = mkdtempSync(join(tmpdir(), 'gw-docs-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=groundwork-test',
        '-addext',
        `subjectAltName=IP:${address}`,
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    return { key: readFileSync(join(dir, 'key.pem')), cert: readFileSync(join(dir, 'cert.pem')) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** An https front for `target` that says so in `X-Forwarded-Proto`, as a load balancer does. */
async function startTlsProxy(address: string, target: AddressInfo): Promise<Server> {
  const server = createHttpsServer(selfSignedCertificate(address), (incoming, outgoing) => {
    const upstream = httpRequest(
      {
        host: target.address,
        port: target.port,
        method: incoming.method,
        path: incoming.url,
        headers: {
          ...incoming.headers,
          'x-forwarded-proto': 'https',
          'x-forwarded-for': incoming.socket.remoteAddress,
        },
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    upstream.on('error', () => outgoing.destroy());
    incoming.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, address, resolve));
  return server;
}

// What the reference lists: a group of each module, opened as a reader would, and one of its operations.
const OPERATIONS = {
  auth: 'Create an account',
  projects: 'Create a project (you become its owner)',
  blog: 'Register (RealWorld); the same account logs in at /api/auth/login',
};
// Scalar's own buttons, which lead to its hosted services rather than to this API.
const VENDOR_BUTTONS = ['Ask AI', 'Generate MCP', 'Deploy', 'Share', 'Developer Tools', 'Cursor', 'VS Code'];
// What Chromium says on any plain-http page off localhost, whatever the page does.
const COOP_IGNORED = /^The Cross-Origin-Opener-Policy header has been ignored/;

/** Opens `/docs` at `origin`; returns what the page asked of other hosts and what it complained of. */
async function openDocs(page: Page, origin: string) {
  const foreign: string[] = [];
  const complaints: string[] = [];
  page.on('request', (request) => {
    if (!request.url().startsWith(`${origin}/`) && !request.url().startsWith('data:')) foreign.push(request.url());
  });
  page.on('console', (message) => {
    if (message.type() !== 'error') return;
    // The browser asks for /favicon.ico by itself; there is none.
    const favicon = message.location().url.endsWith('/favicon.ico');
    if (!favicon && !COOP_IGNORED.test(message.text())) complaints.push(message.text());
  });
  page.on('pageerror', (error) => complaints.push(error.message));
  await page.goto(`${origin}/docs`);
  // The examples are to copy and run: they name the server the page was opened at.
  await page.getByText(`curl ${origin}/health/live`).first().waitFor({ timeout: 20_000 });
  for (const [group, summary] of Object.entries(OPERATIONS)) {
    await page.getByRole('button', { name: `Open Group - ${group}`, exact: true }).click({ timeout: 5_000 });
    await page.getByText(summary, { exact: true }).first().waitFor({ timeout: 5_000 });
  }
  return { foreign, complaints };
}

/** The app on every interface (so it is reached by loopback and by the network address) and its https proxy. */
async function startServers(address: string) {
  const app = await buildTestApp({ TRUST_PROXY: 'true' });
  await app.listen({ port: 0, host: '0.0.0.0' });
  const { port } = app.server.address() as AddressInfo;
  const proxy = await startTlsProxy(address, { address, port, family: 'IPv4' });
  after(async () => {
    proxy.closeAllConnections();
    await new Promise((resolve) => proxy.close(resolve));
  });
  return [
    `http://127.0.0.1:${port}`,
    `http://${address}:${port}`,
    `https://${address}:${(proxy.address() as AddressInfo).port}`,
  ];
}

// Started before the test, so the test's bound is the browser's own, not the time a loaded machine
// takes to build an app.
const origins = skip ? [] : await startServers(lanAddress as string);

test('/docs renders by a network address, over http and behind an https proxy, with nothing from elsewhere', {
  skip,
  timeout: 90_000,
}, async () => {
  // Closed here, before the servers: it holds keep-alive connections to them.
  const browser = await launchChromium(['--ignore-certificate-errors']);
  try {
    for (const origin of origins) {
      const page = await browser.newPage();
      const { foreign, complaints } = await openDocs(page, origin);
      assert.deepEqual(foreign, [], `${origin}: requests to other hosts`);
      assert.deepEqual(complaints, [], `${origin}: errors in the console`);
      for (const name of VENDOR_BUTTONS) {
        for (const role of ['button', 'link'] as const) {
          assert.equal(await page.getByRole(role, { name, exact: true }).count(), 0, `${origin}: a "${name}" ${role}`);
        }
      }
      if (process.env.DOCS_BROWSER_SCREENSHOT) {
        await page.screenshot({
          path: `${process.env.DOCS_BROWSER_SCREENSHOT}-${new URL(origin).host.replaceAll(/[.:]/g, '-')}.png`,
        });
      }
      await page.close();
    }
  } finally {
    await browser.close();
  }
});

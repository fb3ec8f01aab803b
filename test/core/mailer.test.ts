import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { createServer, type Socket } from 'node:net';
import { after, test } from 'node:test';
import { loadConfig } from '../../src/config.ts';
import { buildTestApp } from '../helpers/app.ts';

/** Just enough of an SMTP server on 127.0.0.1 to receive what nodemailer sends. */
async function startFakeSmtp() {
  const received: string[] = [];
  const server = createServer((socket: Socket) => {
    socket.write('220 fake ESMTP\r\n');
    let buffer = '';
    let data: string[] | undefined;
    socket.on('data', (chunk) => {
      buffer += chunk.toString('utf8');
      for (let end = buffer.indexOf('\r\n'); end >= 0; end = buffer.indexOf('\r\n')) {
        const line = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        if (data) {
          if (line === '.') {
            received.push(data.join('\n'));
            data = undefined;
            socket.write('250 OK queued\r\n');
          } else data.push(line);
          continue;
        }
        const command = line.slice(0, 4).toUpperCase();
        if (command === 'EHLO' || command === 'HELO') socket.write('250 fake.local\r\n');
        else if (command === 'DATA') {
          data = [];
          socket.write('354 go ahead\r\n');
        } else if (command === 'QUIT') socket.end('221 bye\r\n');
        else socket.write('250 OK\r\n');
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  after(() => new Promise<void>((resolve) => server.close(() => resolve())));
  return { received, port: (server.address() as { port: number }).port };
}

test('with SMTP_URL, mail goes to the SMTP server and the outbox stays empty', async () => {
  const smtp = await startFakeSmtp();
  const app = await buildTestApp({
    SMTP_URL: `smtp://127.0.0.1:${smtp.port}`,
    MAIL_FROM: 'Groundwork <auth@example.org>',
  });
  const email = `m${randomUUID().slice(0, 8)}@example.com`;
  const res = await app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: { email, username: `m${randomUUID().slice(0, 8)}`, password: 'a long unusual passphrase' },
  });
  assert.equal(res.statusCode, 201);
  await app.jobs.idle();
  assert.equal(app.mailer.outbox.length, 0);
  assert.equal(smtp.received.length, 1);
  const message = smtp.received[0] ?? '';
  assert.match(message, new RegExp(`^To: ${email}$`, 'm'));
  assert.match(message, /^From: Groundwork <auth@example\.org>$/m);
  assert.match(message, /^Subject: Confirm your email address$/m);
});

test('mail and OAuth settings are validated at boot, naming the variable', () => {
  const base = { NODE_ENV: 'test' };
  assert.throws(() => loadConfig({ ...base, SMTP_URL: 'http://mail' }), /SMTP_URL/);
  assert.throws(() => loadConfig({ ...base, PUBLIC_URL: 'example.com' }), /PUBLIC_URL/);
  assert.throws(() => loadConfig({ ...base, OAUTH_PROVIDERS: 'acme' }), /OAUTH_ACME_ISSUER is required/);
  assert.throws(
    () => loadConfig({ ...base, OAUTH_PROVIDERS: 'acme', OAUTH_ACME_ISSUER: 'not a url', OAUTH_ACME_CLIENT_ID: 'x' }),
    /OAUTH_ACME_ISSUER has "not a url"/,
  );
  assert.throws(() => loadConfig({ ...base, OAUTH_PROVIDERS: 'github' }), /OAUTH_GITHUB_CLIENT_SECRET is required/);
  assert.throws(() => loadConfig({ ...base, OAUTH_PROVIDERS: 'bad_name!' }), /not a provider name/);

  const config = loadConfig({
    ...base,
    PUBLIC_URL: 'https://api.example.com/',
    APP_URL: 'https://example.com',
    OAUTH_PROVIDERS: 'Acme, github',
    OAUTH_ACME_ISSUER: 'https://id.acme.test/',
    OAUTH_ACME_CLIENT_ID: 'client',
    OAUTH_GITHUB_CLIENT_ID: 'gh',
    OAUTH_GITHUB_CLIENT_SECRET: 'secret',
  });
  assert.equal(config.publicUrl, 'https://api.example.com');
  assert.equal(config.oauth.postLoginUrl, 'https://example.com/');
  assert.deepEqual(
    config.oauth.providers.map((p) => [p.name, p.kind]),
    [
      ['acme', 'oidc'],
      ['github', 'github'],
    ],
  );
  const acme = config.oauth.providers[0];
  assert.equal(acme?.kind === 'oidc' && acme.issuer, 'https://id.acme.test');
  assert.equal(acme?.kind === 'oidc' && acme.clientSecret, undefined, 'no secret: a public PKCE client');
});

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { SseClient, WsClient, wsUrl } from '../../helpers/realtime.ts';

// A realtime connection lives no longer than the session it authenticated with: a log-out, the
// revocation of that session, or a password change that ends the other sessions closes it at once
// (4001, "session ended"), while connections of the sessions that go on stay open.

const app: FastifyInstance = await buildTestApp();
await app.listen({ port: 0, host: '127.0.0.1' });

/** A user with a password, logged in as many times as asked: one session (and token) per log-in. */
async function userWithSessions(count: number) {
  const username = `sess${randomBytes(4).toString('hex')}`;
  const password = `Pw-${randomBytes(12).toString('base64url')}`;
  const registered = await app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: { email: `${username}@example.test`, username, password },
  });
  assert.equal(registered.statusCode, 201, registered.body);
  const tokens: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: username, password } });
    assert.equal(login.statusCode, 200, login.body);
    tokens.push(login.json().accessToken);
  }
  return { id: registered.json().user?.id ?? registered.json().id, password, tokens };
}

const bearer = (token: string) => ({ authorization: `Bearer ${token}` });

/** Still open and answering: a ping gets its pong. */
async function assertOpen(client: WsClient) {
  const from = client.inbox.received.length;
  client.send({ type: 'ping' });
  await client.inbox.next((m) => m.type === 'pong', 2000, from);
}

describe('realtime connections end with their session', () => {
  test('log-out closes the WebSocket and the SSE stream of that session at once; other sessions stay', async (t) => {
    const user = await userWithSessions(2);
    const [mine, other] = user.tokens as [string, string];
    const ws = await WsClient.open(app, mine);
    const { client: sse } = await SseClient.open(app, [`user:${(await me(mine)).id}`], bearer(mine));
    await sse.next((e) => e.event === 'subscribed');
    const kept = await WsClient.open(app, other);

    const started = Date.now();
    const logout = await app.inject({ method: 'POST', url: '/api/auth/logout', headers: bearer(mine) });
    assert.equal(logout.statusCode, 204);
    assert.deepEqual(await ws.closed, { code: 4001, reason: 'session ended' });
    const closedAfter = Date.now() - started;
    assert.ok(ws.inbox.received.some((m) => m.type === 'error' && m.code === 'SESSION_ENDED'));
    await sse.next((e) => e.json.code === 'SESSION_ENDED');
    await waitFor(() => sse.ended, 'the SSE stream ends');
    await assertOpen(kept);

    // Its credentials open nothing new.
    assert.equal(await new WsClient(wsUrl(app), { token: mine }).refused, 401);
    kept.close();
    t.diagnostic(`socket closed ${closedAfter} ms after the log-out request was sent`);
  });

  test('a WebSocket authenticated by an `auth` message ends with its session too (revoked from elsewhere)', async () => {
    const user = await userWithSessions(2);
    const [first, second] = user.tokens as [string, string];
    const ws = new WsClient(wsUrl(app));
    await new Promise((resolve) => ws.socket.once('open', resolve));
    ws.send({ type: 'auth', token: first });
    await ws.next((m) => m.type === 'welcome');
    // The other session lists the sessions and revokes the first one.
    const sessions = await app.inject({ method: 'GET', url: '/api/auth/sessions', headers: bearer(second) });
    const target = sessions.json().items.find((s: { current: boolean }) => !s.current);
    const revoked = await app.inject({
      method: 'DELETE',
      url: `/api/auth/sessions/${target.id}`,
      headers: bearer(second),
    });
    assert.equal(revoked.statusCode, 204, revoked.body);
    assert.deepEqual(await ws.closed, { code: 4001, reason: 'session ended' });
  });

  test('a password change closes the connections of every other session, not its own', async () => {
    const user = await userWithSessions(3);
    const [changing, stolen, old] = user.tokens as [string, string, string];
    const [own, others] = [
      await WsClient.open(app, changing),
      [await WsClient.open(app, stolen), await WsClient.open(app, old)],
    ];
    const changed = await app.inject({
      method: 'PATCH',
      url: '/api/auth/me',
      headers: bearer(changing),
      payload: { password: `New-${randomBytes(12).toString('base64url')}`, currentPassword: user.password },
    });
    assert.equal(changed.statusCode, 200, changed.body);
    for (const client of others) assert.deepEqual(await client.closed, { code: 4001, reason: 'session ended' });
    await assertOpen(own);
    own.close();
  });
});

async function me(token: string): Promise<{ id: string }> {
  const res = await app.inject({ method: 'GET', url: '/api/auth/me', headers: bearer(token) });
  assert.equal(res.statusCode, 200);
  return res.json().user ?? res.json();
}

async function waitFor(condition: () => boolean, what: string, timeoutMs = 2000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

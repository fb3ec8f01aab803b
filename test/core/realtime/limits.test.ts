import assert from 'node:assert/strict';
import { test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { SseClient, WsClient, wsUrl } from '../../helpers/realtime.ts';
import { createUser } from '../../modules/messages/helpers.ts';

// The smallest send buffer the config allows, so a client that stops reading is cut off quickly,
// and a heartbeat every second, so a client that stops answering is found quickly. The subject is
// the connection, not the transport between instances: in process, so the memory measured is the
// connection's alone (through Redis, the 64 MB below would pass through ioredis' buffers).
const app: FastifyInstance = await buildTestApp({
  REALTIME_SEND_BUFFER_BYTES: '16384',
  REALTIME_HEARTBEAT_SECONDS: '1',
  REALTIME_BROKER: 'local',
});
await app.listen({ port: 0, host: '127.0.0.1' });

async function metric(name: string): Promise<string> {
  const text = (await app.inject({ method: 'GET', url: '/metrics' })).body;
  return text.split('\n').find((line) => line.startsWith(name)) ?? '';
}

test('a consumer that stops reading is cut off, and what it would have been sent is not kept', async () => {
  const alice = await createUser(app);
  const topic = `user:${alice.id}`;
  const slow = await WsClient.open(app, alice.token);
  await slow.subscribe(topic);
  slow.socket.pause();

  // 64 MB of events for a client that reads nothing: unbounded, the server would hold all of it.
  const blob = 'x'.repeat(64 * 1024);
  const before = process.memoryUsage().rss;
  for (let i = 0; i < 1000; i++) {
    app.realtime.publish(topic, { type: 'test.blob', data: { i, blob }, audience: [alice.id] });
    if (i % 50 === 0) await sleep(1);
  }
  for (let waited = 0; app.realtime.hub.connectionCount > 0 && waited < 5000; waited += 20) await sleep(20);
  assert.equal(app.realtime.hub.connectionCount, 0, 'the slow consumer was dropped');
  const grown = process.memoryUsage().rss - before;
  assert.ok(grown < 32 * 2 ** 20, `the server grew by ${(grown / 2 ** 20).toFixed(1)} MB`);
  assert.equal(
    await metric('realtime_disconnects_total{transport="websocket",reason="slow_consumer"}'),
    'realtime_disconnects_total{transport="websocket",reason="slow_consumer"} 1',
  );
});

test('heartbeats: a client that answers pings stays; one that stops answering is dropped', async () => {
  const [alice, bob] = [await createUser(app), await createUser(app)];
  const alive = await WsClient.open(app, alice.token);
  // A peer that has gone away without closing: it never answers a ping.
  const dead = new WsClient(wsUrl(app), { token: bob.token, autoPong: false });
  await dead.next((m) => m.type === 'welcome');
  const { code } = await dead.closed;
  assert.equal(code, 1006, 'terminated, not closed politely: the peer is presumed gone');
  assert.equal(
    await metric('realtime_disconnects_total{transport="websocket",reason="heartbeat_timeout"}'),
    'realtime_disconnects_total{transport="websocket",reason="heartbeat_timeout"} 1',
  );
  alive.send({ type: 'ping' });
  await alive.next((m) => m.type === 'pong');
  alive.close();
});

// Last: it closes the app.
test('shutdown closes WebSockets with 1001 going away and ends SSE streams', async () => {
  // The file's app, closed last: building a second one costs a migration run.
  const other = app;
  const alice = await createUser(other);
  const ws = await WsClient.open(other, alice.token);
  const { client: sse } = await SseClient.open(other, [`user:${alice.id}`], { authorization: `Bearer ${alice.token}` });
  await sse.next((e) => e.event === 'subscribed');
  const ended = new Promise<void>((resolve) => {
    const started = Date.now();
    const timer = setInterval(() => {
      if (sse.ended || Date.now() - started > 5000) {
        clearInterval(timer);
        resolve();
      }
    }, 10);
  });
  await other.close();
  assert.deepEqual(await ws.closed, { code: 1001, reason: 'server shutting down' });
  await ended;
  assert.equal(sse.ended, true);
});

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp, freshDatabaseUrl } from '../../helpers/app.ts';
import { httpUrl, messageIn, SseClient, WsClient } from '../../helpers/realtime.ts';
import { as, createGroup, createUser, post } from '../../modules/messages/helpers.ts';

/**
 * Two instances of the app on one PostgreSQL database, as in production behind a load balancer:
 * events published through one reach clients connected to the other — through PostgreSQL
 * LISTEN/NOTIFY, and again through Redis pub/sub. (On PGlite there is only ever one process; the
 * in-process path is what the other realtime tests exercise.)
 */

const noPostgres = process.env.TEST_DATABASE_URL
  ? false
  : 'needs a PostgreSQL server (TEST_DATABASE_URL): two instances must share one database';
const noRedis =
  noPostgres || (process.env.REDIS_URL ? false : 'needs Redis (REDIS_URL) as well as a PostgreSQL server');

async function twoInstances(broker: string): Promise<[FastifyInstance, FastifyInstance]> {
  const databaseUrl = (await freshDatabaseUrl()) as string;
  // A channel of its own, so parallel test runs on a shared Redis do not hear each other.
  const channel = `gw:test:${randomBytes(6).toString('hex')}`;
  const env = { DATABASE_URL: databaseUrl, REALTIME_BROKER: broker, REALTIME_REDIS_CHANNEL: channel };
  const a = await buildTestApp(env);
  const b = await buildTestApp({ ...env, MIGRATE_ON_START: 'false' });
  await a.listen({ port: 0, host: '127.0.0.1' });
  await b.listen({ port: 0, host: '127.0.0.1' });
  assert.equal(a.realtime.broker, broker);
  return [a, b];
}

const BROKERS = [
  ['postgres', noPostgres],
  ['redis', noRedis],
] as const;
// Every pair is built before any suite is declared: under load, the first suite could finish while
// the top level still awaited the second pair, and the file's end-of-run clean-up then closed it.
const instances = new Map<string, FastifyInstance[]>();
for (const [broker, skip] of BROKERS) instances.set(broker, skip ? [] : await twoInstances(broker));

for (const [broker, skip] of BROKERS) {
  const [a, b] = instances.get(broker) ?? [];
  describe(`two instances, ${broker} broker`, { skip }, () => {
    if (!a || !b) return;

    test('a message posted through A reaches a WebSocket and an SSE stream on B within 1 s', async (t) => {
      const [alice, bob] = [await createUser(a), await createUser(a)];
      const group = await createGroup(a, alice, [bob]);
      const topic = `conversation:${group}`;
      const ws = await WsClient.open(b, bob.token);
      await ws.subscribe(topic);
      const { client: sse, response } = await SseClient.open(b, [topic], { authorization: `Bearer ${bob.token}` });
      assert.equal(response.status, 200);
      assert.match(String(response.headers.get('content-type')), /^text\/event-stream/);
      await sse.next((e) => e.event === 'subscribed');

      // Timed from the commit (the POST's answer) to the receipt on B: the realtime path alone; the POST
      // itself is reported, since on a loaded machine it dominates.
      const posting = Date.now();
      const pending = Promise.all([
        ws.next((m) => m.type === 'message.created', 5000),
        sse.next((e) => e.event === 'message.created', 5000),
      ]).then((received) => ({ received, at: Date.now() }));
      const message = await post(a, alice, group, 'across instances');
      const committed = Date.now();
      const {
        received: [viaWs, viaSse],
        at,
      } = await pending;
      t.diagnostic(`POST ${committed - posting} ms, then delivery to B ${at - committed} ms`);
      assert.ok(at - committed < 1000, `delivered ${at - committed} ms after the commit`);
      assert.deepEqual(viaWs, { type: 'message.created', topic, id: 1, data: { message } });
      assert.deepEqual(viaSse.json, viaWs);
      assert.equal(viaSse.id, '1');
      ws.close();
      sse.close();
    });

    test('end to end: a message POSTed over HTTP to A arrives on a WebSocket on B within 1 s of the request', async (t) => {
      const [alice, bob] = [await createUser(a), await createUser(a)];
      const group = await createGroup(a, alice, [bob]);
      const ws = await WsClient.open(b, bob.token);
      await ws.subscribe(`conversation:${group}`);
      const timings: number[] = [];
      // A few rounds: the first pays for cold paths (prepared statements, JIT), the bound holds for each.
      for (let round = 1; round <= 3; round += 1) {
        const sent = performance.now();
        const response = await fetch(`${httpUrl(a)}/api/conversations/${group}/messages`, {
          method: 'POST',
          headers: { authorization: `Bearer ${alice.token}`, 'content-type': 'application/json' },
          body: JSON.stringify({ body: `round ${round}` }),
        });
        const answered = performance.now();
        const event = await ws.next((m) => m.type === 'message.created' && messageIn(m).seq === round, 5000);
        const received = performance.now();
        assert.equal(response.status, 201);
        assert.deepEqual(event.data, { message: await response.json() });
        t.diagnostic(
          `round ${round}: POST answered after ${(answered - sent).toFixed(0)} ms, on B's WebSocket after ${(received - sent).toFixed(0)} ms`,
        );
        timings.push(received - sent);
      }
      for (const ms of timings) assert.ok(ms < 1000, `delivered ${ms.toFixed(0)} ms after the request was sent`);
      ws.close();
    });

    test('a log-out through A closes that session’s WebSocket on B', async () => {
      const bob = await createUser(a);
      const ws = await WsClient.open(b, bob.token);
      const logout = await fetch(`${httpUrl(a)}/api/auth/logout`, {
        method: 'POST',
        headers: { authorization: `Bearer ${bob.token}` },
      });
      assert.equal(logout.status, 204);
      assert.deepEqual(await ws.closed, { code: 4001, reason: 'session ended' });
    });

    test('reconnecting to the other instance with the last id gets exactly the missed events, then live', async () => {
      const [alice, bob] = [await createUser(a), await createUser(a)];
      const group = await createGroup(a, alice, [bob]);
      const topic = `conversation:${group}`;
      const first = await WsClient.open(b, bob.token);
      await first.subscribe(topic);
      await post(a, alice, group, 'seen');
      const seen = await first.next((m) => m.type === 'message.created');
      first.close();
      await first.closed;

      const missed = [];
      for (const text of ['m1', 'm2', 'm3']) missed.push(await post(b, alice, group, text));
      const again = await WsClient.open(a, bob.token);
      await again.subscribe(topic, seen.id as number);
      // Posted while the replay may still be running: delivered once, after the missed ones.
      const live = await post(b, alice, group, 'live');
      await again.next((m) => m.type === 'message.created' && m.id === 5);
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.deepEqual(
        again.events(topic).map((m) => [m.id, messageIn(m).body]),
        [...missed, live].map((m, i) => [i + 2, m.body]),
      );
      again.close();
    });

    test('an SSE stream resumes after Last-Event-ID on the other instance', async () => {
      const [alice, bob] = [await createUser(a), await createUser(a)];
      const group = await createGroup(a, alice, [bob]);
      const topics = [`user:${bob.id}`, `conversation:${group}`];
      const headers = { authorization: `Bearer ${bob.token}` };
      const { client: first } = await SseClient.open(a, topics, headers);
      await post(b, alice, group, 'one');
      const last = await first.next((e) => e.event === 'message.created');
      // The id names every topic's position: bob's own topic had the group's creation.
      assert.equal(last.id, '1,1');
      first.close();

      await post(a, alice, group, 'two');
      assert.equal((await as(a, bob)('POST', `/api/conversations/${group}/read`, { seq: 2 })).statusCode, 200);
      const { client: resumed } = await SseClient.open(b, topics, { ...headers, 'last-event-id': last.id as string });
      const read = await resumed.next((e) => e.event === 'conversation.read');
      const replayed = resumed.inbox.received.filter((e) => e.event?.includes('.'));
      assert.deepEqual(
        replayed.map((e) => [e.id, e.event]),
        [
          ['1,2', 'message.created'],
          ['1,3', 'conversation.read'],
        ],
      );
      assert.deepEqual(read.json.data, { conversationId: group, userId: bob.id, lastReadSeq: 2 });
      resumed.close();
    });

    test('a member removed through A stops receiving on B at once', async () => {
      const [alice, bob, carol] = [await createUser(a), await createUser(a), await createUser(a)];
      const group = await createGroup(a, alice, [bob, carol]);
      const topic = `conversation:${group}`;
      const bobs = await WsClient.open(b, bob.token);
      await bobs.subscribe(topic);
      const carols = await WsClient.open(b, carol.token);
      await carols.subscribe(topic);
      assert.equal((await as(a, alice)('DELETE', `/api/conversations/${group}/members/${bob.id}`)).statusCode, 204);
      await post(a, alice, group, 'not for bob');
      await carols.next((m) => m.type === 'message.created');
      await bobs.next((m) => m.type === 'unsubscribed');
      assert.equal(bobs.inbox.received.filter((m) => m.type === 'message.created').length, 0);
      bobs.close();
      carols.close();
    });
  });
}

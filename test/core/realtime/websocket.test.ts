import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { httpUrl, messageIn, WsClient, wsUrl } from '../../helpers/realtime.ts';
import { as, createGroup, createUser, post } from '../../modules/messages/helpers.ts';

// One listening app for the file (PGlite by default: the in-process broker).
const app: FastifyInstance = await buildTestApp({
  REALTIME_CLIENT_EVENTS_PER_SECOND: '2',
  REALTIME_MAX_CONNECTIONS_PER_USER: '3',
});
await app.listen({ port: 0, host: '127.0.0.1' });

describe('WebSocket /api/realtime', () => {
  test('an idempotent post is delivered once, after its transaction commits; its replay sends nothing', async () => {
    const [alice, bob] = [await createUser(app), await createUser(app)];
    const group = await createGroup(app, alice, [bob]);
    const topic = `conversation:${group}`;
    const client = await WsClient.open(app, bob.token);
    await client.subscribe(topic);
    const url = `/api/conversations/${group}/messages`;
    const headers = { 'idempotency-key': 'live-once' };
    const first = await as(app, alice)('POST', url, { body: 'once' }, headers);
    assert.equal(first.statusCode, 201);
    const event = await client.next((m) => m.type === 'message.created');
    assert.deepEqual(event, { type: 'message.created', topic, id: 1, data: { message: first.json() } });
    const replay = await as(app, alice)('POST', url, { body: 'once' }, headers);
    assert.equal(replay.headers['idempotent-replayed'], 'true');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(client.inbox.received.filter((m) => m.type === 'message.created').length, 1);
    client.close();
  });

  test('a member receives message.created live; a non-member cannot subscribe', async () => {
    const [alice, bob, eve] = [await createUser(app), await createUser(app), await createUser(app)];
    const group = await createGroup(app, alice, [bob]);
    const topic = `conversation:${group}`;
    const client = await WsClient.open(app, bob.token);
    // Creating the group told each member on their own topic; the conversation's own log is empty.
    assert.deepEqual(await client.subscribe(topic), { type: 'subscribed', topic, id: 0 });

    const stranger = await WsClient.open(app, eve.token);
    const refused = await stranger.subscribe(topic);
    assert.equal(refused.type, 'error');
    assert.equal(refused.code, 'TOPIC_NOT_FOUND');
    // Nor someone else's own topic, nor a made-up kind.
    assert.equal((await stranger.subscribe(`user:${bob.id}`)).code, 'TOPIC_NOT_FOUND');
    assert.equal((await stranger.subscribe(`nothing:${bob.id}`)).code, 'TOPIC_NOT_FOUND');

    const message = await post(app, alice, group, 'Hello **Bob**');
    const event = await client.next((m) => m.type === 'message.created');
    assert.deepEqual(event, { type: 'message.created', topic, id: 1, data: { message } });
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(stranger.inbox.received.filter((m) => m.type === 'message.created').length, 0);
    client.close();
    stranger.close();
  });

  test('authentication: header, first message, refused token, no credentials', async () => {
    const alice = await createUser(app);
    // No header: the first message must authenticate.
    const browser = new WsClient(wsUrl(app));
    await new Promise((resolve) => browser.socket.once('open', resolve));
    browser.send({ type: 'auth', token: alice.token });
    assert.equal((await browser.next((m) => m.type === 'welcome')).userId, alice.id);
    browser.close();

    const wrong = new WsClient(wsUrl(app));
    await new Promise((resolve) => wrong.socket.once('open', resolve));
    wrong.send({ type: 'auth', token: 'not-a-token' });
    assert.deepEqual(await wrong.closed, { code: 4001, reason: 'invalid or expired token' });

    const silent = new WsClient(wsUrl(app));
    await new Promise((resolve) => silent.socket.once('open', resolve));
    silent.send({ type: 'subscribe', topic: `user:${alice.id}` });
    assert.deepEqual(await silent.closed, { code: 4001, reason: 'authenticate first' });

    // A bad Authorization header is refused before the upgrade.
    assert.equal(await new WsClient(wsUrl(app), { token: 'garbage' }).refused, 401);
  });

  test('a session cookie authenticates an upgrade from our own origin; from another origin it is refused', async () => {
    const username = `cookie${randomBytes(4).toString('hex')}`;
    const password = `Pw-${randomBytes(12).toString('base64url')}`;
    const registered = await app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { email: `${username}@example.test`, username, password },
    });
    assert.equal(registered.statusCode, 201);
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/session',
      payload: { login: username, password },
    });
    assert.equal(login.statusCode, 200, login.body);
    const cookie = `gw_session=${login.cookies.find((c) => c.name === 'gw_session')?.value}`;

    const own = new WsClient(wsUrl(app), { headers: { cookie, origin: httpUrl(app) } });
    assert.equal((await own.next((m) => m.type === 'welcome')).userId, login.json().user.id);
    own.close();
    const foreign = new WsClient(wsUrl(app), { headers: { cookie, origin: 'https://evil.example' } });
    assert.equal(await foreign.refused, 403);
  });

  test('resume: subscribing after the last seen id sends exactly what was missed, then live', async () => {
    const [alice, bob] = [await createUser(app), await createUser(app)];
    const group = await createGroup(app, alice, [bob]);
    const topic = `conversation:${group}`;
    const first = await WsClient.open(app, bob.token);
    const { id: start } = await first.subscribe(topic);
    await post(app, alice, group, 'one');
    const seen = await first.next((m) => m.type === 'message.created');
    first.close();
    await first.closed;

    const missed = [await post(app, alice, group, 'two'), await post(app, alice, group, 'three')];
    await as(app, alice)('PATCH', `/api/conversations/${group}/messages/1`, { body: 'one (edited)' });

    const again = await WsClient.open(app, bob.token);
    await again.subscribe(topic, seen.id as number);
    const live = await post(app, alice, group, 'four');
    await again.next((m) => m.type === 'message.created' && messageIn(m).seq === live.seq);
    const events = again.events(topic);
    assert.deepEqual(
      events.map((e) => [e.id, e.type, messageIn(e).body]),
      [
        [(start as number) + 2, 'message.created', missed[0]?.body],
        [(start as number) + 3, 'message.created', missed[1]?.body],
        [(start as number) + 4, 'message.updated', 'one (edited)'],
        [(start as number) + 5, 'message.created', 'four'],
      ],
    );
    again.close();
  });

  test('a removed member stops receiving at once and is told why', async () => {
    const [alice, bob, carol] = [await createUser(app), await createUser(app), await createUser(app)];
    const group = await createGroup(app, alice, [bob, carol]);
    const topic = `conversation:${group}`;
    const bobs = await WsClient.open(app, bob.token);
    await bobs.subscribe(topic);
    await bobs.subscribe(`user:${bob.id}`);
    const carols = await WsClient.open(app, carol.token);
    await carols.subscribe(topic);

    const removed = await as(app, alice)('DELETE', `/api/conversations/${group}/members/${bob.id}`);
    assert.equal(removed.statusCode, 204);
    assert.deepEqual(await bobs.next((m) => m.type === 'unsubscribed'), {
      type: 'unsubscribed',
      topic,
      reason: 'forbidden',
    });
    const notice = await bobs.next((m) => m.type === 'conversation.member_removed');
    assert.deepEqual(notice.data, { conversationId: group, userId: bob.id });
    assert.equal(notice.topic, `user:${bob.id}`);

    await post(app, alice, group, 'after bob left');
    await carols.next((m) => m.type === 'message.created');
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.equal(bobs.inbox.received.filter((m) => m.type === 'message.created').length, 0);
    // And cannot come back.
    assert.equal((await bobs.subscribe(topic)).code, 'TOPIC_NOT_FOUND');
    assert.equal((await bobs.subscribe(topic, 0)).code, 'TOPIC_NOT_FOUND');
    bobs.close();
    carols.close();
  });

  test('typing reaches the other members, not the sender; past the rate it is refused', async () => {
    const [alice, bob] = [await createUser(app), await createUser(app)];
    const group = await createGroup(app, alice, [bob]);
    const topic = `conversation:${group}`;
    const [a, b] = [await WsClient.open(app, alice.token), await WsClient.open(app, bob.token)];
    await a.subscribe(topic);
    await b.subscribe(topic);
    a.send({ type: 'typing', topic });
    assert.deepEqual(await b.next((m) => m.type === 'typing'), {
      type: 'typing',
      topic,
      id: null,
      data: { userId: alice.id },
    });
    // A burst beyond the bucket (2 a second, burst 4) is answered with RATE_LIMITED.
    for (let i = 0; i < 6; i++) a.send({ type: 'typing', topic });
    assert.equal((await a.next((m) => m.type === 'error')).code, 'RATE_LIMITED');
    assert.equal(a.inbox.received.filter((m) => m.type === 'typing').length, 0);
    // Unsubscribed topics and kinds without client events refuse it.
    a.send({ type: 'typing', topic: `user:${alice.id}` });
    a.close();
    b.close();
  });

  test('per-user connection limit: the next upgrade gets 429', async () => {
    const alice = await createUser(app);
    const open = [
      await WsClient.open(app, alice.token),
      await WsClient.open(app, alice.token),
      await WsClient.open(app, alice.token),
    ];
    assert.equal(await new WsClient(wsUrl(app), { token: alice.token }).refused, 429);
    const first = open[0] as WsClient;
    first.close();
    await first.closed;
    await new Promise((resolve) => setTimeout(resolve, 50));
    const replacement = await WsClient.open(app, alice.token);
    for (const client of [...open.slice(1), replacement]) client.close();
  });

  test('malformed frames get an error, not a disconnect', async () => {
    const alice = await createUser(app);
    const client = await WsClient.open(app, alice.token);
    client.send('not json');
    assert.equal((await client.next((m) => m.type === 'error')).code, 'INVALID_MESSAGE');
    client.send({ type: 'ping' });
    await client.next((m) => m.type === 'pong');
    client.close();
  });
});

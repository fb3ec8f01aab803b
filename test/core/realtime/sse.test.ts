import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { SseClient } from '../../helpers/realtime.ts';
import { createGroup, createUser, post } from '../../modules/messages/helpers.ts';

const app: FastifyInstance = await buildTestApp();
await app.listen({ port: 0, host: '127.0.0.1' });

test('SSE: live events with an id naming every topic, resumed exactly after Last-Event-ID', async () => {
  const [alice, bob] = [await createUser(app), await createUser(app)];
  const group = await createGroup(app, alice, [bob]);
  const topics = [`conversation:${group}`, `user:${bob.id}`];
  const headers = { authorization: `Bearer ${bob.token}` };
  const { client, response } = await SseClient.open(app, topics, headers);
  assert.equal(response.status, 200);
  assert.equal(response.headers.get('cache-control'), 'no-store');
  await client.next((e) => e.event === 'subscribed' && e.json.topic === topics[1]);
  const one = await post(app, alice, group, 'one');
  const event = await client.next((e) => e.event === 'message.created');
  assert.equal(event.id, '1,1');
  assert.deepEqual(event.json, { type: 'message.created', topic: topics[0], id: 1, data: { message: one } });
  client.close();

  const missed = [await post(app, alice, group, 'two'), await post(app, alice, group, 'three')];
  const { client: resumed } = await SseClient.open(app, topics, { ...headers, 'last-event-id': '1,1' });
  await resumed.next((e) => e.event === 'message.created' && e.id === '3,1');
  const live = await post(app, alice, group, 'four');
  await resumed.next((e) => e.id === '4,1');
  assert.deepEqual(
    resumed.inbox.received.filter((e) => e.event === 'message.created').map((e) => [e.id, e.json.data?.message]),
    [
      ['2,1', missed[0]],
      ['3,1', missed[1]],
      ['4,1', live],
    ],
  );
  resumed.close();
});

test('SSE refuses: no credentials (401), a topic the user may not read (404), a foreign Last-Event-ID or too many topics (422)', async () => {
  const [alice, eve] = [await createUser(app), await createUser(app)];
  const group = await createGroup(app, alice);
  const url = `/api/realtime/events?topics=conversation:${group}`;
  assertProblem(await app.inject({ method: 'GET', url }), 401, 'UNAUTHORIZED');
  const stranger = await app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${eve.token}` } });
  assertProblem(stranger, 404, 'TOPIC_NOT_FOUND');
  const malformed = await app.inject({
    method: 'GET',
    url,
    headers: { authorization: `Bearer ${alice.token}`, 'last-event-id': '3,4' },
  });
  assert.deepEqual(
    assertProblem(malformed, 422, 'VALIDATION_FAILED').errors?.map((e) => e.field),
    ['headers.last-event-id'],
  );
  const many = Array.from({ length: 101 }, () => `user:${randomUUID()}`).join(',');
  const tooMany = await app.inject({
    method: 'GET',
    url: `/api/realtime/events?topics=${many}`,
    headers: { authorization: `Bearer ${alice.token}` },
  });
  assert.deepEqual(
    assertProblem(tooMany, 422, 'VALIDATION_FAILED').errors?.map((e) => e.field),
    ['query.topics'],
  );
});

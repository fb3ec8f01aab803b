import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { WsClient } from '../../helpers/realtime.ts';
import { as, createUser } from '../../helpers/users.ts';
import { createProject, createTask } from './helpers.ts';

// Task changes go live to the project's members on the `project:<id>` topic.
const app: FastifyInstance = await buildTestApp();
await app.listen({ port: 0, host: '127.0.0.1' });

test('project members receive task.created, task.updated and task.deleted; others cannot subscribe', async () => {
  const [owner, viewer, outsider] = [await createUser(app), await createUser(app), await createUser(app)];
  const projectId = await createProject(app, owner, [[viewer, 'viewer']]);
  const topic = `project:${projectId}`;
  const client = await WsClient.open(app, viewer.token);
  assert.equal((await client.subscribe(topic)).type, 'subscribed');
  const stranger = await WsClient.open(app, outsider.token);
  assert.equal((await stranger.subscribe(topic)).code, 'TOPIC_NOT_FOUND');

  const call = as(app, owner);
  const task = await createTask(call, projectId, { title: 'Ship it' });
  const created = await client.next((m) => m.type === 'task.created');
  assert.deepEqual(created, { type: 'task.created', topic, id: 1, data: { task } });

  const updated = await call('PATCH', `/api/tasks/${task.id}`, { status: 'done' });
  assert.equal(updated.statusCode, 200);
  assert.deepEqual((await client.next((m) => m.type === 'task.updated')).data, { task: updated.json() });

  assert.equal((await call('DELETE', `/api/tasks/${task.id}`)).statusCode, 204);
  assert.deepEqual((await client.next((m) => m.type === 'task.deleted')).data, { taskId: task.id, projectId });
  assert.deepEqual(
    client.events(topic).map((m) => [m.id, m.type]),
    [
      [1, 'task.created'],
      [2, 'task.updated'],
      [3, 'task.deleted'],
    ],
  );
  client.close();
  stranger.close();
});

test('a member removed from the project stops receiving its task changes at once', async () => {
  const [owner, editor] = [await createUser(app), await createUser(app)];
  const projectId = await createProject(app, owner, [[editor, 'editor']]);
  const topic = `project:${projectId}`;
  const client = await WsClient.open(app, editor.token);
  await client.subscribe(topic);
  assert.equal((await as(app, owner)('DELETE', `/api/projects/${projectId}/members/${editor.id}`)).statusCode, 204);
  assert.deepEqual(await client.next((m) => m.type === 'unsubscribed'), {
    type: 'unsubscribed',
    topic,
    reason: 'forbidden',
  });
  await createTask(as(app, owner), projectId, { title: 'Not for the editor' });
  await new Promise((resolve) => setTimeout(resolve, 100));
  assert.equal(client.inbox.received.filter((m) => m.type === 'task.created').length, 0);
  client.close();
});

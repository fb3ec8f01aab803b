import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildTestApp } from '../helpers/app.ts';
import { as, createUser, fieldsOf } from '../helpers/users.ts';

const app = await buildTestApp();

test('a JSON body is checked as sent: "" for a nullable id is a 422, not a silent null', async () => {
  const user = await createUser(app);
  const call = as(app, user);
  const project = (await call('POST', '/api/projects', { name: 'P' })).json();
  const task = (await call('POST', `/api/projects/${project.id}/tasks`, { title: 'T', assigneeId: user.id })).json();
  const ifMatch = { 'if-match': `"${task.version}"` };

  for (const assigneeId of ['', 0, false]) {
    const res = await call('PATCH', `/api/tasks/${task.id}`, { assigneeId }, ifMatch);
    assert.equal(res.statusCode, 422, `${JSON.stringify(assigneeId)}: ${res.body}`);
    assert.deepEqual([...new Set(fieldsOf(res))], ['body.assigneeId']);
  }
  const typed = await call('POST', `/api/projects/${project.id}/tasks`, { title: 12 });
  assert.equal(typed.statusCode, 422);
  assert.deepEqual(fieldsOf(typed), ['body.title']);
  assert.equal((await call('GET', `/api/tasks/${task.id}`)).json().assigneeId, user.id);
});

test('query strings and path parameters arrive as text and are still coerced to their types', async () => {
  const user = await createUser(app);
  const call = as(app, user);
  const project = (await call('POST', '/api/projects', { name: 'P' })).json();
  for (const title of ['a', 'b', 'c']) await call('POST', `/api/projects/${project.id}/tasks`, { title });
  const page = await call('GET', `/api/projects/${project.id}/tasks?limit=2`);
  assert.equal(page.statusCode, 200, page.body);
  assert.equal(page.json().items.length, 2);
});

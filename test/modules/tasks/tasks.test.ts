import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { as, fieldsOf } from '../../helpers/users.ts';
import { createProject, createTask, NO_SUCH, team as teamOf, titles } from './helpers.ts';

// One app (one database) for the file; each test makes its own users and projects.
const app: FastifyInstance = await buildTestApp();
const team = () => teamOf(app);

describe('task CRUD, concurrency and roles', () => {
  test('create, get with ETag/304, update with If-Match, 412 when stale, delete', async () => {
    const { editor, projectId } = await team();
    const call = as(app, editor);
    const created = await call('POST', `/api/projects/${projectId}/tasks`, {
      title: 'Write spec',
      description: '# Heading',
      priority: 'high',
      due: { dateTime: '2026-03-29T09:00', timeZone: 'Europe/Berlin' },
    });
    assert.equal(created.statusCode, 201);
    const task = created.json();
    assert.equal(created.headers.etag, '"1"');
    assert.equal(created.headers.location, `/api/tasks/${task.id}`);
    assert.deepEqual(task.due, {
      dateTime: '2026-03-29T09:00:00',
      timeZone: 'Europe/Berlin',
      at: '2026-03-29T07:00:00.000Z',
    });
    assert.equal(task.status, 'todo');
    assert.equal(task.createdBy, editor.id);

    assert.equal((await call('GET', `/api/tasks/${task.id}`)).headers.etag, '"1"');
    assert.equal((await call('GET', `/api/tasks/${task.id}`, undefined, { 'if-none-match': '"1"' })).statusCode, 304);
    assert.equal((await call('GET', `/api/tasks/${task.id}`, undefined, { 'if-none-match': '"0"' })).statusCode, 200);

    const done = await call('PATCH', `/api/tasks/${task.id}`, { status: 'done' }, { 'if-match': '"1"' });
    assert.equal(done.statusCode, 200);
    assert.equal(done.headers.etag, '"2"');
    assert.ok(done.json().completedAt);
    const stale = await call('PATCH', `/api/tasks/${task.id}`, { title: 'Lost update' }, { 'if-match': '"1"' });
    assert.equal(stale.statusCode, 412);
    assert.equal(stale.json().code, 'PRECONDITION_FAILED');
    const reopened = await call('PATCH', `/api/tasks/${task.id}`, { status: 'in_progress' }, { 'if-match': 'W/"2"' });
    assert.equal(reopened.statusCode, 412, 'a weak tag never matches If-Match');
    const again = await call('PATCH', `/api/tasks/${task.id}`, { status: 'in_progress' }, { 'if-match': '"2"' });
    assert.equal(again.json().completedAt, null);

    assert.equal((await call('DELETE', `/api/tasks/${task.id}`, undefined, { 'if-match': '"2"' })).statusCode, 412);
    assert.equal((await call('DELETE', `/api/tasks/${task.id}`, undefined, { 'if-match': '"3"' })).statusCode, 204);
    assert.equal((await call('GET', `/api/tasks/${task.id}`)).statusCode, 404);
  });

  test('validation: 422 with every field error at once', async () => {
    const { owner, outsider, projectId } = await team();
    const call = as(app, owner);
    const otherProject = await createProject(app, outsider);
    const foreignLabel = (
      await as(app, outsider)('POST', `/api/projects/${otherProject}/labels`, { name: 'x', color: '#000000' })
    ).json();
    const foreignTask = await createTask(as(app, outsider), otherProject, { title: 'theirs' });

    const schema = await call('POST', `/api/projects/${projectId}/tasks`, {
      title: '',
      status: 'later',
      priority: 'meh',
    });
    assert.equal(schema.statusCode, 422);
    assert.deepEqual(fieldsOf(schema).sort(), ['body.priority', 'body.status', 'body.title']);

    const badDate = await call('POST', `/api/projects/${projectId}/tasks`, { title: 'x', due: { date: '2026-02-30' } });
    assert.ok(fieldsOf(badDate).includes('body.due.date'));
    const rules = await call('POST', `/api/projects/${projectId}/tasks`, {
      title: 'x',
      due: { date: '2026-02-28' },
      recurrence: { frequency: 'daily', until: '2026-02-01' },
      assigneeId: outsider.id,
      labelIds: [foreignLabel.id],
      parentId: foreignTask.id,
      move: { beforeId: foreignTask.id },
    });
    assert.equal(rules.statusCode, 422);
    assert.deepEqual(fieldsOf(rules).sort(), [
      'body.assigneeId',
      'body.labelIds.0',
      'body.move.beforeId',
      'body.parentId',
      'body.recurrence.until',
    ]);

    const zone = await call('POST', `/api/projects/${projectId}/tasks`, {
      title: 'x',
      due: { dateTime: '2026-01-01T10:00', timeZone: 'Mars/Olympus' },
    });
    assert.deepEqual(fieldsOf(zone), ['body.due.timeZone']);
    const mixed = await call('POST', `/api/projects/${projectId}/tasks`, {
      title: 'x',
      due: { date: '2026-01-01', timeZone: 'UTC' },
    });
    assert.deepEqual(fieldsOf(mixed), ['body.due']);
    const recurrence = await call('POST', `/api/projects/${projectId}/tasks`, {
      title: 'x',
      recurrence: { frequency: 'weekly', monthDay: 3 },
    });
    assert.deepEqual(fieldsOf(recurrence).sort(), ['body.recurrence', 'body.recurrence.monthDay']);
    const both = await call('POST', `/api/projects/${projectId}/tasks`, {
      title: 'x',
      due: { date: '2026-01-10' },
      recurrence: { frequency: 'daily', until: '2026-01-01', count: 3 },
    });
    assert.deepEqual(fieldsOf(both).sort(), ['body.recurrence', 'body.recurrence.until']);

    const task = await createTask(call, projectId, { title: 'ok' });
    assert.equal((await call('PATCH', `/api/tasks/${task.id}`, {})).statusCode, 422);
    const move = await call('PATCH', `/api/tasks/${task.id}`, { move: {} });
    assert.deepEqual(fieldsOf(move), ['body.move']);
    assert.equal((await call('GET', `/api/projects/${projectId}/tasks?limit=101`)).statusCode, 422);
    assert.deepEqual(fieldsOf(await call('GET', `/api/tasks?sort=title`)), ['query.sort']);
  });

  test('401 without a credential on every route', async () => {
    const anon = as(app, null);
    for (const [method, url] of [
      ['POST', `/api/projects/${NO_SUCH}/tasks`],
      ['GET', `/api/projects/${NO_SUCH}/tasks`],
      ['PATCH', `/api/projects/${NO_SUCH}/tasks`],
      ['GET', '/api/tasks'],
      ['GET', `/api/tasks/${NO_SUCH}`],
      ['PATCH', `/api/tasks/${NO_SUCH}`],
      ['DELETE', `/api/tasks/${NO_SUCH}`],
      ['GET', `/api/tasks/${NO_SUCH}/activity`],
      ['GET', `/api/tasks/${NO_SUCH}/comments`],
      ['POST', `/api/tasks/${NO_SUCH}/comments`],
      ['DELETE', `/api/tasks/${NO_SUCH}/comments/${NO_SUCH}`],
    ] as const) {
      const res = await anon(method, url, method === 'POST' || method === 'PATCH' ? {} : undefined);
      assert.equal(res.statusCode, 401, `${method} ${url}`);
    }
  });

  test('viewers read but may not write (403); non-members get 404 for everything', async () => {
    const { owner, viewer, outsider, projectId } = await team();
    const task = await createTask(as(app, owner), projectId, { title: 'Visible' });
    const asViewer = as(app, viewer);
    assert.equal((await asViewer('GET', `/api/tasks/${task.id}`)).statusCode, 200);
    assert.deepEqual(titles(await asViewer('GET', `/api/projects/${projectId}/tasks`)), ['Visible']);
    for (const [method, url, body] of [
      ['POST', `/api/projects/${projectId}/tasks`, { title: 'x' }],
      ['PATCH', `/api/projects/${projectId}/tasks`, { ids: [task.id], set: { status: 'done' } }],
      ['PATCH', `/api/tasks/${task.id}`, { title: 'x' }],
      ['DELETE', `/api/tasks/${task.id}`, undefined],
      ['POST', `/api/tasks/${task.id}/comments`, { body: 'hi' }],
    ] as const) {
      const res = await asViewer(method, url, body);
      assert.equal(res.statusCode, 403, `${method} ${url}`);
    }
    const stranger = as(app, outsider);
    for (const [method, url, body] of [
      ['POST', `/api/projects/${projectId}/tasks`, { title: 'x' }],
      ['GET', `/api/projects/${projectId}/tasks`, undefined],
      ['PATCH', `/api/projects/${projectId}/tasks`, { ids: [task.id], set: { status: 'done' } }],
      ['GET', `/api/tasks/${task.id}`, undefined],
      ['PATCH', `/api/tasks/${task.id}`, { title: 'x' }],
      ['DELETE', `/api/tasks/${task.id}`, undefined],
      ['GET', `/api/tasks/${task.id}/activity`, undefined],
      ['GET', `/api/tasks/${task.id}/comments`, undefined],
      ['POST', `/api/tasks/${task.id}/comments`, { body: 'hi' }],
    ] as const) {
      const res = await stranger(method, url, body);
      assert.equal(res.statusCode, 404, `${method} ${url}`);
    }
    assert.deepEqual((await stranger('GET', '/api/tasks')).json().items, []);
  });

  test('Idempotency-Key: a retried create returns the first task, concurrent duplicates create one', async () => {
    const { editor, projectId } = await team();
    const call = as(app, editor);
    const url = `/api/projects/${projectId}/tasks`;
    const first = await call('POST', url, { title: 'Once' }, { 'idempotency-key': 'k1' });
    const retry = await call('POST', url, { title: 'Once' }, { 'idempotency-key': 'k1' });
    assert.equal(retry.statusCode, 201);
    assert.equal(retry.headers['idempotent-replayed'], 'true');
    assert.deepEqual(retry.json(), first.json());
    assert.equal(retry.headers.location, first.headers.location);
    assert.equal((await call('POST', url, { title: 'Other' }, { 'idempotency-key': 'k1' })).statusCode, 422);
    // A failed request releases its key, so the fixed request can use it.
    assert.equal((await call('POST', url, { title: '' }, { 'idempotency-key': 'k2' })).statusCode, 422);
    assert.equal((await call('POST', url, { title: 'Fixed' }, { 'idempotency-key': 'k2' })).statusCode, 201);
    const race = await Promise.all(
      [1, 2, 3].map(() => call('POST', url, { title: 'Race' }, { 'idempotency-key': 'k3' })),
    );
    assert.ok(race.every((res) => [201, 409].includes(res.statusCode)));
    assert.deepEqual(titles(await call('GET', `${url}?q=race`)), ['Race']);
  });
});

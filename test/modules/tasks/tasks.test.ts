import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { as, createProject, createTask, createUser, fieldsOf, type TestUser } from './helpers.ts';

// One app (one database) for the file; each test makes its own users and projects.
const app: FastifyInstance = await buildTestApp();
const NO_SUCH = '00000000-0000-4000-8000-000000000000';

async function team() {
  const [owner, editor, viewer, outsider] = await Promise.all([1, 2, 3, 4].map(() => createUser(app)));
  const projectId = await createProject(app, owner as TestUser, [
    [editor as TestUser, 'editor'],
    [viewer as TestUser, 'viewer'],
  ]);
  return { owner, editor, viewer, outsider, projectId } as Record<
    'owner' | 'editor' | 'viewer' | 'outsider',
    TestUser
  > & {
    projectId: string;
  };
}

const titles = (res: { json(): { items: Array<{ title: string }> } }) => res.json().items.map((t) => t.title);

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
    assert.deepEqual(fieldsOf(await call('GET', `/api/tasks?sort=title`)), ['querystring.sort']);
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

describe('subtasks, ordering, bulk, activity, comments', () => {
  test('subtasks at any depth, parent progress, cycles refused', async () => {
    const { editor, projectId } = await team();
    const call = as(app, editor);
    const a = await createTask(call, projectId, { title: 'A' });
    const b = await createTask(call, projectId, { title: 'B', parentId: a.id });
    const c = await createTask(call, projectId, { title: 'C', parentId: b.id });
    await createTask(call, projectId, { title: 'B2', parentId: a.id, status: 'done' });
    assert.deepEqual((await call('GET', `/api/tasks/${a.id}`)).json().progress, { done: 1, total: 2 });
    await call('PATCH', `/api/tasks/${b.id}`, { status: 'done' });
    assert.deepEqual((await call('GET', `/api/tasks/${a.id}`)).json().progress, { done: 2, total: 2 });

    for (const [task, parent] of [
      [a, c],
      [a, a],
      [b, c],
    ]) {
      const res = await call('PATCH', `/api/tasks/${task.id}`, { parentId: parent.id });
      assert.equal(res.statusCode, 422);
      assert.deepEqual(fieldsOf(res), ['body.parentId']);
    }
    // Moving C to the top level and then making A its child is fine.
    assert.equal((await call('PATCH', `/api/tasks/${c.id}`, { parentId: null })).statusCode, 200);
    assert.equal((await call('PATCH', `/api/tasks/${a.id}`, { parentId: c.id })).statusCode, 200);
    assert.deepEqual((await call('GET', `/api/tasks/${c.id}`)).json().progress, { done: 0, total: 1 });
    assert.deepEqual(titles(await call('GET', `/api/projects/${projectId}/tasks?parent=none`)), ['C']);
    assert.deepEqual(
      titles(await call('GET', `/api/projects/${projectId}/tasks?parent=${a.id}&sort=created&order=asc`)),
      ['B', 'B2'],
    );
    // Deleting a task deletes its subtasks.
    await call('DELETE', `/api/tasks/${a.id}`);
    assert.equal((await call('GET', `/api/tasks/${b.id}`)).statusCode, 404);
    assert.deepEqual((await call('GET', `/api/tasks/${c.id}`)).json().progress, { done: 0, total: 0 });
  });

  test('manual order: move before/after without renumbering; a status change appends to the new column', async () => {
    const { editor, projectId } = await team();
    const call = as(app, editor);
    const tasks = [];
    for (const title of ['a', 'b', 'c']) tasks.push(await createTask(call, projectId, { title }));
    const list = async (status = 'todo') =>
      titles(await call('GET', `/api/projects/${projectId}/tasks?status=${status}&sort=position`));
    assert.deepEqual(await list(), ['a', 'b', 'c']);
    const moved = await call('PATCH', `/api/tasks/${tasks[2].id}`, { move: { beforeId: tasks[0].id } });
    assert.equal(moved.statusCode, 200);
    assert.deepEqual(await list(), ['c', 'a', 'b']);
    const untouched = (await call('GET', `/api/tasks/${tasks[0].id}`)).json();
    assert.equal(untouched.position, tasks[0].position, 'neighbours keep their positions');
    await call('PATCH', `/api/tasks/${tasks[2].id}`, { move: { afterId: tasks[0].id } });
    assert.deepEqual(await list(), ['a', 'c', 'b']);
    const front = await createTask(call, projectId, { title: 'front', move: { beforeId: tasks[0].id } });
    assert.deepEqual(await list(), ['front', 'a', 'c', 'b']);
    await call('PATCH', `/api/tasks/${tasks[1].id}`, { status: 'in_progress' });
    await call('PATCH', `/api/tasks/${front.id}`, { status: 'in_progress' });
    assert.deepEqual(await list('in_progress'), ['b', 'front']);
    await call('PATCH', `/api/tasks/${front.id}`, { move: { beforeId: tasks[1].id } });
    assert.deepEqual(await list('in_progress'), ['front', 'b']);
    const wrongColumn = await call('PATCH', `/api/tasks/${front.id}`, { move: { afterId: tasks[0].id } });
    assert.deepEqual(fieldsOf(wrongColumn), ['body.move.afterId']);
  });

  test('bulk update: status, assignee and labels in one transaction, all or nothing', async () => {
    const { owner, editor, viewer, projectId } = await team();
    const call = as(app, editor);
    const label = (
      await call('POST', `/api/projects/${projectId}/labels`, { name: 'urgent', color: '#ff0000' })
    ).json();
    const ids = [];
    for (const title of ['one', 'two', 'three']) ids.push((await createTask(call, projectId, { title })).id);
    const url = `/api/projects/${projectId}/tasks`;

    const res = await call('PATCH', url, {
      ids,
      set: { status: 'done', assigneeId: viewer.id, addLabelIds: [label.id] },
    });
    assert.equal(res.statusCode, 200);
    assert.deepEqual(
      res
        .json()
        .items.map((t: { title: string; status: string; assigneeId: string; labelIds: string[] }) => [
          t.title,
          t.status,
          t.assigneeId,
          t.labelIds,
        ]),
      ['one', 'two', 'three'].map((title) => [title, 'done', viewer.id, [label.id]]),
    );
    assert.ok(res.json().items.every((t: { completedAt: string | null }) => t.completedAt));

    const foreign = await createTask(as(app, owner), await createProject(app, owner), { title: 'elsewhere' });
    const partial = await call('PATCH', url, {
      ids: [ids[0], foreign.id],
      set: { status: 'todo', removeLabelIds: [label.id] },
    });
    assert.equal(partial.statusCode, 422);
    assert.deepEqual(fieldsOf(partial), ['body.ids.1']);
    const after = (await call('GET', `/api/tasks/${ids[0]}`)).json();
    assert.equal(after.status, 'done', 'nothing changed');
    assert.deepEqual(after.labelIds, [label.id]);

    const tooMany = await call('PATCH', url, {
      ids: Array.from({ length: 101 }, () => NO_SUCH),
      set: { status: 'done' },
    });
    assert.equal(tooMany.statusCode, 422);
    const noChange = await call('PATCH', url, { ids, set: {} });
    assert.deepEqual(fieldsOf(noChange), ['body.set']);
    const cleared = await call('PATCH', url, { ids, set: { assigneeId: null, removeLabelIds: [label.id] } });
    assert.ok(
      cleared.json().items.every((t: { assigneeId: null; labelIds: string[] }) => !t.assigneeId && !t.labelIds.length),
    );
  });

  test('activity records who changed which fields from what to what; comments', async () => {
    const { owner, editor, viewer, projectId } = await team();
    const call = as(app, editor);
    const task = await createTask(call, projectId, { title: 'Draft', priority: 'low' });
    await call('PATCH', `/api/tasks/${task.id}`, { title: 'Final', priority: 'urgent', assigneeId: viewer.id });
    await call('PATCH', `/api/tasks/${task.id}`, { title: 'Final' }); // no change, no entry
    const activity = (await as(app, viewer)('GET', `/api/tasks/${task.id}/activity`)).json();
    assert.deepEqual(
      activity.items.map((a: { kind: string; actor: { username: string }; changes: unknown }) => [
        a.kind,
        a.actor.username,
        a.changes,
      ]),
      [
        ['created', editor.username, []],
        [
          'updated',
          editor.username,
          [
            { field: 'title', from: 'Draft', to: 'Final' },
            { field: 'priority', from: 'low', to: 'urgent' },
            { field: 'assigneeId', from: null, to: viewer.id },
          ],
        ],
      ],
    );
    const firstPage = (await call('GET', `/api/tasks/${task.id}/activity?limit=1`)).json();
    const secondPage = (
      await call('GET', `/api/tasks/${task.id}/activity?limit=1&cursor=${firstPage.nextCursor}`)
    ).json();
    assert.deepEqual(
      secondPage.items.map((a: { kind: string }) => a.kind),
      ['updated'],
    );

    // Removing a member unassigns their tasks, and says so in the activity.
    await as(app, owner)('DELETE', `/api/projects/${projectId}/members/${viewer.id}`);
    assert.equal((await call('GET', `/api/tasks/${task.id}`)).json().assigneeId, null);
    const last = (await call('GET', `/api/tasks/${task.id}/activity`)).json().items.at(-1);
    assert.deepEqual(last.changes, [{ field: 'assigneeId', from: viewer.id, to: null }]);

    const comments = `/api/tasks/${task.id}/comments`;
    const posted = await call('POST', comments, { body: 'Looks **good**' });
    assert.equal(posted.statusCode, 201);
    assert.deepEqual(posted.json().author.username, editor.username);
    await as(app, owner)('POST', comments, { body: 'Agreed' });
    assert.equal((await call('POST', comments, { body: '' })).statusCode, 422);
    const listed = (await call('GET', comments)).json();
    assert.deepEqual(
      listed.items.map((c: { body: string }) => c.body),
      ['Looks **good**', 'Agreed'],
    );
    const ownersComment = listed.items[1].id;
    assert.equal((await call('DELETE', `${comments}/${ownersComment}`)).statusCode, 403);
    assert.equal((await as(app, owner)('DELETE', `${comments}/${posted.json().id}`)).statusCode, 204);
    assert.equal((await call('DELETE', `${comments}/${posted.json().id}`)).statusCode, 404);
  });
});

describe('querying', () => {
  test('filters, search and sorts, in a project and across my projects', async () => {
    const { owner, editor, outsider, projectId } = await team();
    const call = as(app, editor);
    const label = (await call('POST', `/api/projects/${projectId}/labels`, { name: 'ops', color: '#00ff00' })).json();
    await createTask(call, projectId, { title: 'Deploy the servers', priority: 'urgent', due: { date: '2020-01-01' } });
    await createTask(call, projectId, {
      title: 'Write release notes',
      description: 'Mention the deployment',
      priority: 'low',
      assigneeId: editor.id,
      labelIds: [label.id],
      due: { dateTime: '2999-01-01T10:00', timeZone: 'America/New_York' },
    });
    await createTask(call, projectId, { title: 'Celebrate', status: 'done', due: { date: '2020-01-02' } });
    await createTask(call, projectId, { title: 'Someday', priority: 'medium' });
    const other = await createProject(app, outsider);
    await createTask(as(app, outsider), other, { title: 'Not mine', assigneeId: outsider.id });
    void owner;

    const q = async (query: string) => titles(await call('GET', `/api/projects/${projectId}/tasks?${query}`));
    assert.deepEqual(await q('status=done'), ['Celebrate']);
    assert.deepEqual(await q('status=todo&status=done&sort=created&order=asc'), [
      'Deploy the servers',
      'Write release notes',
      'Celebrate',
      'Someday',
    ]);
    assert.deepEqual(await q('priority=urgent&priority=low&sort=priority'), [
      'Deploy the servers',
      'Write release notes',
    ]);
    assert.deepEqual(await q('assignee=me'), ['Write release notes']);
    assert.deepEqual(await q(`assignee=${editor.id}`), ['Write release notes']);
    assert.deepEqual(await q('assignee=none&sort=created&order=asc'), ['Deploy the servers', 'Celebrate', 'Someday']);
    assert.deepEqual(await q(`label=${label.id}`), ['Write release notes']);
    assert.deepEqual(await q('dueBefore=2020-01-02'), ['Deploy the servers']);
    assert.deepEqual(await q('dueAfter=2020-01-02T12:00:00Z&sort=due'), ['Celebrate', 'Write release notes']);
    assert.deepEqual(await q('overdue=true'), ['Deploy the servers']);
    assert.deepEqual(await q('overdue=false&sort=due'), ['Celebrate', 'Write release notes', 'Someday']);
    assert.deepEqual(await q('q=deploy&sort=created&order=asc'), ['Deploy the servers', 'Write release notes']);
    assert.deepEqual(await q('q=release notes'), ['Write release notes']);
    assert.deepEqual(await q('sort=due'), ['Deploy the servers', 'Celebrate', 'Write release notes', 'Someday']);
    assert.deepEqual(await q('sort=due&order=desc'), [
      'Someday',
      'Write release notes',
      'Celebrate',
      'Deploy the servers',
    ]);
    assert.deepEqual(await q('sort=priority&order=asc&status=todo'), [
      'Write release notes',
      'Someday',
      'Deploy the servers',
    ]);
    await call('PATCH', `/api/projects/${projectId}/tasks`, {
      ids: [(await call('GET', `/api/projects/${projectId}/tasks?q=someday`)).json().items[0].id],
      set: { status: 'in_progress' },
    });
    assert.deepEqual((await q('sort=updated')).at(0), 'Someday');

    const mine = titles(await call('GET', '/api/tasks'));
    assert.deepEqual(mine, ['Deploy the servers', 'Celebrate', 'Write release notes', 'Someday']);
    assert.deepEqual(titles(await call('GET', '/api/tasks?assignee=me')), ['Write release notes']);
  });
});

describe('recurrence through HTTP', () => {
  test('completing an occurrence creates the next one once, with the due date moved forward', async () => {
    const { editor, projectId } = await team();
    const call = as(app, editor);
    const label = (await call('POST', `/api/projects/${projectId}/labels`, { name: 'bills', color: '#123456' })).json();
    const first = await createTask(call, projectId, {
      title: 'Pay rent',
      priority: 'high',
      labelIds: [label.id],
      due: { date: '2028-01-31' },
      recurrence: { frequency: 'monthly', count: 3 },
    });
    assert.deepEqual(first.recurrence, { frequency: 'monthly', interval: 1, monthDay: 31, count: 3 });
    const done = (await call('PATCH', `/api/tasks/${first.id}`, { status: 'done' })).json();
    assert.ok(done.nextOccurrenceId);
    const second = (await call('GET', `/api/tasks/${done.nextOccurrenceId}`)).json();
    assert.deepEqual(
      [second.title, second.status, second.priority, second.labelIds, second.due.date, second.occurrence],
      ['Pay rent', 'todo', 'high', [label.id], '2028-02-29', 2],
    );
    // Re-opening and completing again does not create a second "next".
    await call('PATCH', `/api/tasks/${first.id}`, { status: 'todo' });
    await call('PATCH', `/api/tasks/${first.id}`, { status: 'done' });
    assert.deepEqual(titles(await call('GET', `/api/projects/${projectId}/tasks?status=todo`)), ['Pay rent']);
    const third = (await call('PATCH', `/api/tasks/${second.id}`, { status: 'done' })).json();
    const last = (await call('GET', `/api/tasks/${third.nextOccurrenceId}`)).json();
    assert.deepEqual([last.due.date, last.occurrence], ['2028-03-31', 3]);
    const end = (await call('PATCH', `/api/tasks/${last.id}`, { status: 'done' })).json();
    assert.equal(end.nextOccurrenceId, null, 'count reached: the series ends');

    const zoned = await createTask(call, projectId, {
      title: 'Stand-up',
      due: { dateTime: '2026-10-24T09:30', timeZone: 'Europe/London' },
      recurrence: { frequency: 'daily' },
    });
    const next = (
      await call('PATCH', `/api/projects/${projectId}/tasks`, { ids: [zoned.id], set: { status: 'done' } })
    ).json().items[0].nextOccurrenceId;
    assert.deepEqual((await call('GET', `/api/tasks/${next}`)).json().due, {
      dateTime: '2026-10-25T09:30:00',
      timeZone: 'Europe/London',
      at: '2026-10-25T09:30:00.000Z',
    });
    const clear = await call('PATCH', `/api/tasks/${next}`, { due: null });
    assert.deepEqual(fieldsOf(clear), ['body.due']);
  });
});

describe('keyset pagination', () => {
  test('returns every task exactly once while tasks are being inserted', async () => {
    const { editor, projectId } = await team();
    const call = as(app, editor);
    const initial = new Set<string>();
    for (let i = 0; i < 40; i++) {
      const task = await createTask(call, projectId, {
        title: `seed ${i}`,
        priority: (['none', 'low', 'high'] as const)[i % 3],
        ...(i % 4 ? { due: { date: `2027-0${1 + (i % 5)}-1${i % 10}` } } : {}),
      });
      initial.add(task.id);
    }
    for (const query of ['sort=created', 'sort=position', 'sort=due', 'sort=priority', 'sort=updated&order=asc']) {
      const seen: string[] = [];
      let cursor: string | null = null;
      let inserted = 0;
      do {
        const url: string = `/api/projects/${projectId}/tasks?${query}&limit=7${cursor ? `&cursor=${cursor}` : ''}`;
        const [page] = await Promise.all([
          call('GET', url),
          createTask(call, projectId, {
            title: `new ${query} ${inserted++}`,
            due: { date: '2027-03-15' },
            priority: 'low',
          }),
        ]);
        assert.equal(page.statusCode, 200, page.body);
        seen.push(...page.json().items.map((t: { id: string }) => t.id));
        cursor = page.json().nextCursor;
      } while (cursor);
      assert.equal(new Set(seen).size, seen.length, `${query}: no task twice`);
      for (const id of initial) assert.ok(seen.includes(id), `${query}: every existing task`);
    }
  });

  test('a tampered or foreign cursor is a 422 on query.cursor, never a 500', async () => {
    const { editor, projectId } = await team();
    const call = as(app, editor);
    for (let i = 0; i < 3; i++) await createTask(call, projectId, { title: `t${i}` });
    const url = `/api/projects/${projectId}/tasks`;
    const { nextCursor } = (await call('GET', `${url}?sort=created&limit=1`)).json();
    const decoded = JSON.parse(Buffer.from(nextCursor, 'base64url').toString());
    const forge = (v: unknown[]) => Buffer.from(JSON.stringify({ ...decoded, v })).toString('base64url');
    for (const cursor of [
      'not-base64!',
      Buffer.from('{"s":').toString('base64url'),
      forge(['2026-02-30T00:00:00.000Z', decoded.v[1]]),
      forge(["'; drop table tasks; --", decoded.v[1]]),
      forge([decoded.v[0], 'not-a-uuid']),
      forge([decoded.v[0]]),
    ]) {
      const res = await call('GET', `${url}?sort=created&limit=1&cursor=${encodeURIComponent(cursor)}`);
      assert.equal(res.statusCode, 422, cursor);
      assert.deepEqual(fieldsOf(res), ['query.cursor']);
    }
    const otherSort = await call('GET', `${url}?sort=due&limit=1&cursor=${nextCursor}`);
    assert.equal(otherSort.statusCode, 422);
    const otherFilter = await call('GET', `${url}?sort=created&status=done&limit=1&cursor=${nextCursor}`);
    assert.equal(otherFilter.statusCode, 422);
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { as, fieldsOf } from '../../helpers/users.ts';
import { createProject, createTask, team as teamOf, titles } from './helpers.ts';

// Filters, search, sorts, keyset pages and recurrence through HTTP. One app for the file; each test makes its own team.
const app: FastifyInstance = await buildTestApp();
const team = () => teamOf(app);

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

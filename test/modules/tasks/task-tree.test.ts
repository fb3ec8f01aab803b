import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { as, fieldsOf } from '../../helpers/users.ts';
import { createProject, createTask, NO_SUCH, team as teamOf, titles } from './helpers.ts';

// Subtasks, manual order, bulk updates, activity and comments. One app for the file; each test makes its own team.
const app: FastifyInstance = await buildTestApp();
const team = () => teamOf(app);

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

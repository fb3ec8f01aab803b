import { type FieldError, unprocessable } from '../../core/errors.ts';
import { checkVersion } from '../../core/etag.ts';
import type { Emit } from '../../core/realtime/plugin.ts';
import type { Db, Trx } from '../../db/database.ts';
import { found } from '../../db/transactions.ts';
import { type CursorValue, cursorScope, decodeCursor, toPage } from '../../lib/cursor.ts';
import { projectTopic, requireRole, type TasksContext } from './access.ts';
import * as activityRepo from './activity-repository.ts';
import { type Due, dueToColumns, parseDue } from './due.ts';
import { commentDeleteForbidden, commentNotFound, taskNotFound } from './errors.ts';
import { toActivity, toComment, toTask } from './mappers.ts';
import { findProject, memberIds } from './project-repository.ts';
import { roleIn } from './project-service.ts';
import { normalizeRule } from './recurrence.ts';
import type { BulkUpdateInput, CreateTaskInput, TaskQueryInput, UpdateTaskInput } from './schemas.ts';
import { applyTaskChanges, checkAssignee, checkLabels, checkParent, createTaskRow, placeIn } from './task-changes.ts';
import { sortKeyOf, TASK_SORTS, taskListQuery } from './task-list-query.ts';
import * as repo from './task-repository.ts';

/** Rules for tasks, their activity and comments. */

export async function getTask(db: Db, userId: string, taskId: string) {
  const row = await repo.findTaskForUser(db, userId, taskId);
  if (!row) throw taskNotFound();
  return toTask(row);
}

/** Tells the project's members, live, what became of a task (after the transaction commits). */
async function emitTask(trx: Trx, emit: Emit, userId: string, projectId: string, type: string, taskId: string) {
  const task = toTask(found(await repo.findTaskForUser(trx, userId, taskId)));
  await emit(projectTopic(projectId), { type, data: { task }, audience: await memberIds(trx, projectId) });
}

export async function createTask(ctx: TasksContext, userId: string, projectId: string, input: CreateTaskInput) {
  const { db } = ctx;
  const id = await ctx.realtime.withEvents(db, async (trx, emit) => {
    await repo.lockProjectTasks(trx, projectId);
    requireRole((await findProject(trx, userId, projectId))?.role, 'editor', 'create tasks');
    const errors: FieldError[] = [];
    const due = input.due ? parseDue(input.due, 'body.due', errors) : null;
    const recurrence =
      input.recurrence && due !== undefined ? normalizeRule(input.recurrence, due, 'body.recurrence', errors) : null;
    await checkAssignee(trx, projectId, input.assigneeId, 'body.assigneeId', errors);
    const labelIds = [...(input.labelIds ?? [])].sort();
    await checkLabels(trx, projectId, labelIds, 'body.labelIds', errors);
    if (input.parentId) await checkParent(trx, projectId, null, input.parentId, errors);
    const status = input.status ?? 'todo';
    const position = await placeIn(trx, projectId, status, input.move, null, errors);
    if (errors.length) throw unprocessable(errors);
    const id = await createTaskRow(trx, userId, {
      project_id: projectId,
      parent_id: input.parentId ?? null,
      created_by: userId,
      assignee_id: input.assigneeId ?? null,
      title: input.title,
      description: input.description ?? '',
      status,
      priority: input.priority ?? 'none',
      position,
      ...dueToColumns((due as Due | null | undefined) ?? null),
      recurrence: recurrence ? JSON.stringify(recurrence) : null,
      completed_at: status === 'done' ? new Date() : null,
      labelIds,
    });
    await emitTask(trx, emit, userId, projectId, 'task.created', id);
    return id;
  });
  return getTask(db, userId, id);
}

/** Locks a task for a write by `userId` (an editor), holding its project's task lock first. */
async function lockForWrite(trx: Trx, userId: string, taskId: string) {
  const located = await repo.projectIdOfTask(trx, taskId);
  if (!located) throw taskNotFound();
  await repo.lockProjectTasks(trx, located.project_id);
  const row = await repo.findTaskForUser(trx, userId, taskId, { lock: true });
  if (!row) throw taskNotFound();
  requireRole(row.role, 'editor', 'change tasks');
  return row;
}

export async function updateTask(
  ctx: TasksContext,
  userId: string,
  taskId: string,
  input: UpdateTaskInput,
  expected: number | undefined,
) {
  await ctx.realtime.withEvents(ctx.db, async (trx, emit) => {
    const row = await lockForWrite(trx, userId, taskId);
    checkVersion(expected, row.version);
    const errors: FieldError[] = [];
    await applyTaskChanges(trx, userId, row, input, errors);
    if (errors.length) throw unprocessable(errors);
    await emitTask(trx, emit, userId, row.project_id, 'task.updated', taskId);
  });
  return getTask(ctx.db, userId, taskId);
}

export async function deleteTask(ctx: TasksContext, userId: string, taskId: string, expected: number | undefined) {
  await ctx.realtime.withEvents(ctx.db, async (trx, emit) => {
    const row = await lockForWrite(trx, userId, taskId);
    checkVersion(expected, row.version);
    await repo.deleteTask(trx, taskId);
    if (row.parent_id) await repo.recountSubtasks(trx, row.parent_id);
    await emit(projectTopic(row.project_id), {
      type: 'task.deleted',
      data: { taskId, projectId: row.project_id },
      audience: await memberIds(trx, row.project_id),
    });
  });
}

/** Status, assignee and labels of up to 100 tasks, in one transaction: all change or none. */
export async function bulkUpdateTasks(ctx: TasksContext, userId: string, projectId: string, input: BulkUpdateInput) {
  const { db } = ctx;
  await ctx.realtime.withEvents(db, async (trx, emit) => {
    await repo.lockProjectTasks(trx, projectId);
    requireRole((await findProject(trx, userId, projectId))?.role, 'editor', 'change tasks');
    const rows = await repo.lockTasksInProject(trx, projectId, input.ids);
    const byId = new Map(rows.map((row) => [row.id, row]));
    const errors: FieldError[] = [];
    input.ids.forEach((id, index) => {
      if (!byId.has(id)) errors.push({ field: `body.ids.${index}`, message: 'is not a task of this project' });
    });
    const { status, assigneeId, addLabelIds = [], removeLabelIds = [] } = input.set;
    await checkAssignee(trx, projectId, assigneeId, 'body.set.assigneeId', errors);
    await checkLabels(trx, projectId, addLabelIds, 'body.set.addLabelIds', errors);
    if (errors.length) throw unprocessable(errors);
    const touchesLabels = addLabelIds.length > 0 || removeLabelIds.length > 0;
    for (const id of input.ids) {
      const row = byId.get(id) as repo.TaskRow;
      const labelIds = new Set([...row.label_ids, ...addLabelIds]);
      for (const labelId of removeLabelIds) labelIds.delete(labelId);
      const patch: UpdateTaskInput = {};
      if (status !== undefined) patch.status = status;
      if (assigneeId !== undefined) patch.assigneeId = assigneeId;
      if (touchesLabels) patch.labelIds = [...labelIds];
      await applyTaskChanges(trx, userId, row, patch, errors);
      if (errors.length) throw unprocessable(errors);
    }
    for (const id of input.ids) await emitTask(trx, emit, userId, projectId, 'task.updated', id);
  });
  const rows = await repo.selectTasks(db).where('t.id', 'in', input.ids).execute();
  const byId = new Map(rows.map((row) => [row.id, toTask(row)]));
  return { items: input.ids.flatMap((id) => byId.get(id) ?? []) };
}

/** A date (its start, UTC) or an instant. */
function toInstant(value: string | undefined): Date | undefined {
  if (value === undefined) return undefined;
  const date = new Date(value.length === 10 ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) throw unprocessable([{ field: 'query.due', message: 'is not a real date' }]);
  return date;
}

export async function listTasks(db: Db, userId: string, projectId: string | undefined, query: TaskQueryInput) {
  const sort = query.sort ?? (projectId ? 'position' : 'due');
  const order = query.order ?? TASK_SORTS[sort].order;
  const { cursor, limit, ...filters } = query;
  const scope = cursorScope({ list: 'tasks', projectId, filters, sort, order });
  const after = cursor
    ? (decodeCursor(cursor, scope, [TASK_SORTS[sort].kind, 'uuid']) as [CursorValue, CursorValue])
    : undefined;
  const rows = await taskListQuery(db, {
    projectId,
    userId,
    sort,
    order,
    after,
    limit,
    filters: {
      status: query.status,
      priority: query.priority,
      assigneeId: query.assignee === 'me' ? userId : query.assignee === 'none' ? null : query.assignee,
      labelId: query.label,
      dueBefore: toInstant(query.dueBefore),
      dueAfter: toInstant(query.dueAfter),
      overdue: query.overdue,
      parentId: query.parent === 'none' ? null : query.parent,
      q: query.q,
    },
  }).execute();
  // The page query returns nothing to a non-member; only an empty page needs asking why (404).
  if (projectId && rows.length === 0) await roleIn(db, userId, projectId);
  const page = toPage(rows, limit, scope, (row) => sortKeyOf(row, sort));
  return { items: page.rows.map(toTask), nextCursor: page.nextCursor };
}

/** Anyone who can see the task may read its activity and comments. */
async function visibleTask(db: Db, userId: string, taskId: string) {
  const row = await repo.findTaskForUser(db, userId, taskId);
  if (!row) throw taskNotFound();
  return row;
}

export async function listActivity(db: Db, userId: string, taskId: string, query: { limit: number; cursor?: string }) {
  await visibleTask(db, userId, taskId);
  const scope = cursorScope({ list: 'activity', taskId });
  const afterId = query.cursor ? (decodeCursor(query.cursor, scope, ['integer'])[0] as number) : undefined;
  const rows = await activityRepo.listActivity(db, taskId, { limit: query.limit, afterId });
  const page = toPage(rows, query.limit, scope, (row) => [Number(row.id)]);
  return { items: page.rows.map(toActivity), nextCursor: page.nextCursor };
}

export async function listComments(db: Db, userId: string, taskId: string, query: { limit: number; cursor?: string }) {
  await visibleTask(db, userId, taskId);
  const scope = cursorScope({ list: 'comments', taskId });
  let after: { createdAt: string; id: string } | undefined;
  if (query.cursor) {
    const [createdAt, id] = decodeCursor(query.cursor, scope, ['timestamp', 'uuid']) as [string, string];
    after = { createdAt, id };
  }
  const rows = await activityRepo.listComments(db, taskId, { limit: query.limit, after });
  const page = toPage(rows, query.limit, scope, (row) => [row.created_at.toISOString(), row.id]);
  return { items: page.rows.map(toComment), nextCursor: page.nextCursor };
}

/** Viewers read only, so commenting takes an editor. */
export async function addComment(db: Db, userId: string, taskId: string, body: string) {
  const task = await visibleTask(db, userId, taskId);
  requireRole(task.role, 'editor', 'comment');
  const id = await activityRepo.insertComment(db, taskId, userId, body);
  return toComment(found(await activityRepo.findComment(db, taskId, id)));
}

/** The author deletes their comment; the project owner deletes any. */
export async function deleteComment(db: Db, userId: string, taskId: string, commentId: string) {
  const task = await visibleTask(db, userId, taskId);
  const comment = await activityRepo.findComment(db, taskId, commentId);
  if (!comment) throw commentNotFound();
  if (comment.author_id !== userId && task.role !== 'owner') throw commentDeleteForbidden();
  await activityRepo.deleteComment(db, commentId);
}

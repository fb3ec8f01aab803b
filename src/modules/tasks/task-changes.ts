import type { Updateable } from 'kysely';
import type { FieldError } from '../../core/errors.ts';
import type { Trx } from '../../db/database.ts';
import { recordActivity } from './activity-repository.ts';
import { type Due, dueFromColumns, dueToApi, dueToColumns, parseDue, sameDue } from './due.ts';
import { positionBetween } from './positions.ts';
import { nextOccurrence, normalizeRule } from './recurrence.ts';
import type { UpdateTaskInput } from './schemas.ts';
import type { ActivityChange, RecurrenceRule, TaskStatus, TasksTable } from './tables.ts';
import * as repo from './task-repository.ts';

/**
 * Applying a change to one task: validation that needs the database, the new position, the
 * subtask tree, completion and recurrence, the activity entry. Shared by PATCH /api/tasks/:id and
 * the bulk PATCH, so both follow exactly the same rules. Callers hold the project's task lock.
 */

export interface Move {
  beforeId?: string | undefined;
  afterId?: string | undefined;
}

/** A position in `status`'s column: before/after a given task of that column, or at its end. */
export async function placeIn(
  trx: Trx,
  projectId: string,
  status: TaskStatus,
  move: Move | undefined,
  selfId: string | null,
  errors: FieldError[],
): Promise<string> {
  if (!move) return positionBetween(await repo.lastPosition(trx, projectId, status), null);
  const anchorId = move.beforeId ?? move.afterId;
  if (!anchorId || (move.beforeId && move.afterId)) {
    errors.push({ field: 'body.move', message: 'give exactly one of beforeId and afterId' });
    return '';
  }
  const field = move.beforeId ? 'body.move.beforeId' : 'body.move.afterId';
  const anchor = await repo.findTask(trx, anchorId);
  if (!anchor || anchor.project_id !== projectId || anchor.status !== status || anchor.id === selfId) {
    errors.push({ field, message: 'is not another task with the same status in this project' });
    return '';
  }
  if (move.beforeId) {
    const previous = await repo.neighbourPosition(trx, projectId, status, anchor.position, 'before');
    return positionBetween(previous, anchor.position);
  }
  const next = await repo.neighbourPosition(trx, projectId, status, anchor.position, 'after');
  return positionBetween(anchor.position, next);
}

export async function checkAssignee(
  trx: Trx,
  projectId: string,
  assigneeId: string | null | undefined,
  field: string,
  errors: FieldError[],
) {
  if (assigneeId && !(await repo.isMember(trx, projectId, assigneeId))) {
    errors.push({ field, message: 'is not a member of this project' });
  }
}

export async function checkLabels(
  trx: Trx,
  projectId: string,
  labelIds: string[],
  field: string,
  errors: FieldError[],
) {
  const known = await repo.labelsInProject(trx, projectId, labelIds);
  labelIds.forEach((id, index) => {
    if (!known.has(id)) errors.push({ field: `${field}.${index}`, message: 'is not a label of this project' });
  });
}

/** A parent must be a task of the same project that is not the task itself or below it. */
export async function checkParent(
  trx: Trx,
  projectId: string,
  taskId: string | null,
  parentId: string,
  errors: FieldError[],
) {
  const parent = await repo.findTask(trx, parentId);
  if (!parent || parent.project_id !== projectId) {
    errors.push({ field: 'body.parentId', message: 'is not a task of this project' });
  } else if (taskId && (await repo.isAncestorOrSelf(trx, taskId, parentId))) {
    errors.push({ field: 'body.parentId', message: 'would make the task a subtask of itself' });
  }
}

const sorted = (ids: string[]) => [...ids].sort();
const sameIds = (a: string[], b: string[]) => JSON.stringify(sorted(a)) === JSON.stringify(sorted(b));

/**
 * Validates and applies `input` to the locked task `row`. Throws nothing itself: problems are
 * pushed onto `errors` and the caller throws them all at once, before anything was written (the
 * writes here happen only when `errors` stays empty).
 */
export async function applyTaskChanges(
  trx: Trx,
  actorId: string,
  row: repo.TaskRow,
  input: UpdateTaskInput,
  errors: FieldError[],
): Promise<void> {
  const values: Updateable<TasksTable> = {};
  const changes: ActivityChange[] = [];
  const change = (field: string, from: unknown, to: unknown) => changes.push({ field, from, to });

  for (const field of ['title', 'description', 'priority'] as const) {
    const value = input[field];
    if (value !== undefined && value !== row[field]) {
      values[field] = value as never;
      change(field, row[field], value);
    }
  }

  const oldDue = dueFromColumns(row);
  let due: Due | null = oldDue;
  if (input.due !== undefined) {
    const parsed = input.due === null ? null : parseDue(input.due, 'body.due', errors);
    if (parsed !== undefined) due = parsed;
  }
  let recurrence: RecurrenceRule | null = row.recurrence;
  if (input.recurrence !== undefined) {
    recurrence = input.recurrence && (normalizeRule(input.recurrence, due, 'body.recurrence', errors) ?? null);
  } else if (recurrence && !due) {
    errors.push({ field: 'body.due', message: 'a repeating task needs a due date; remove the recurrence first' });
  }
  if (!sameDue(oldDue, due)) {
    Object.assign(values, dueToColumns(due));
    change('due', dueToApi(oldDue), dueToApi(due));
  }
  if (JSON.stringify(recurrence) !== JSON.stringify(row.recurrence)) {
    values.recurrence = recurrence ? JSON.stringify(recurrence) : null;
    values.occurrence = 1;
    change('recurrence', row.recurrence, recurrence);
  }

  if (input.assigneeId !== undefined && input.assigneeId !== row.assignee_id) {
    await checkAssignee(trx, row.project_id, input.assigneeId, 'body.assigneeId', errors);
    values.assignee_id = input.assigneeId;
    change('assigneeId', row.assignee_id, input.assigneeId);
  }

  const labelIds = input.labelIds !== undefined ? sorted(input.labelIds) : row.label_ids;
  const labelsChanged = !sameIds(labelIds, row.label_ids);
  if (labelsChanged) {
    await checkLabels(trx, row.project_id, labelIds, 'body.labelIds', errors);
    change('labelIds', row.label_ids, labelIds);
  }

  const parentId = input.parentId !== undefined ? input.parentId : row.parent_id;
  if (parentId !== row.parent_id) {
    if (parentId) await checkParent(trx, row.project_id, row.id, parentId, errors);
    values.parent_id = parentId;
    change('parentId', row.parent_id, parentId);
  }

  const status = input.status ?? row.status;
  if (status !== row.status || input.move) {
    values.position = await placeIn(trx, row.project_id, status, input.move, row.id, errors);
  }
  if (status !== row.status) {
    values.status = status;
    change('status', row.status, status);
    if (status === 'done') values.completed_at = new Date();
    else if (row.status === 'done') values.completed_at = null;
  }

  if (errors.length) return;
  if (!Object.keys(values).length && !labelsChanged) return;

  // Completing an occurrence of a repeating task creates the next one, once.
  if (status === 'done' && row.status !== 'done' && recurrence && due && !row.next_occurrence_id) {
    const occurrence = values.occurrence ?? row.occurrence;
    const nextDue = nextOccurrence(due, recurrence, occurrence);
    if (nextDue) {
      values.next_occurrence_id = await createTaskRow(trx, actorId, {
        project_id: row.project_id,
        parent_id: parentId,
        title: values.title ?? row.title,
        description: values.description ?? row.description,
        priority: values.priority ?? row.priority,
        assignee_id: values.assignee_id !== undefined ? values.assignee_id : row.assignee_id,
        status: 'todo',
        position: positionBetween(await repo.lastPosition(trx, row.project_id, 'todo'), null),
        ...dueToColumns(nextDue),
        recurrence: JSON.stringify(recurrence),
        occurrence: occurrence + 1,
        created_by: actorId,
        labelIds,
        createdFrom: row.id,
      });
      change('nextOccurrenceId', null, values.next_occurrence_id);
    }
  }

  await repo.updateTask(trx, row.id, values);
  if (labelsChanged) await repo.setTaskLabels(trx, row.id, labelIds);
  if (changes.length) await recordActivity(trx, row.id, actorId, 'updated', changes);
  const parents = new Set<string>();
  if (parentId !== row.parent_id || status !== row.status) {
    if (row.parent_id) parents.add(row.parent_id);
    if (parentId) parents.add(parentId);
  }
  for (const parent of parents) await repo.recountSubtasks(trx, parent);
}

/** Inserts a task with its labels and its "created" activity, and updates its parent's progress. */
export async function createTaskRow(
  trx: Trx,
  actorId: string,
  values: Parameters<typeof repo.insertTask>[1] & { labelIds: string[]; createdFrom?: string },
): Promise<string> {
  const { labelIds, createdFrom, ...row } = values;
  const id = await repo.insertTask(trx, row);
  await repo.setTaskLabels(trx, id, labelIds);
  const changes = createdFrom ? [{ field: 'previousOccurrenceId', from: null, to: createdFrom }] : [];
  await recordActivity(trx, id, actorId, 'created', changes);
  if (row.parent_id) await repo.recountSubtasks(trx, row.parent_id);
  return id;
}

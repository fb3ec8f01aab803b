import { type Insertable, sql, type Updateable } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import { exists } from '../../db/exists.ts';
import type { TaskStatus, TasksTable } from './tables.ts';

/** SQL for tasks: reads of one task, writes, positions and the subtask tree. Lists: `task-list-query.ts`. */

/** Every column a task's API shape needs; `date`/`timestamp` come back as text, not a local-time Date. */
function taskColumns() {
  return [
    't.id',
    't.project_id',
    't.parent_id',
    't.created_by',
    't.assignee_id',
    't.title',
    't.description',
    't.status',
    't.priority',
    't.priority_rank',
    't.position',
    sql<string | null>`t.due_date::text`.as('due_date'),
    sql<string | null>`to_char(t.due_local, 'YYYY-MM-DD"T"HH24:MI:SS')`.as('due_local'),
    't.due_zone',
    't.due_sort',
    't.recurrence',
    't.occurrence',
    't.next_occurrence_id',
    't.completed_at',
    't.subtasks_total',
    't.subtasks_done',
    't.version',
    't.created_at',
    't.updated_at',
    sql<string[]>`array(select tl.label_id::text from task_labels tl where tl.task_id = t.id order by 1)`.as(
      'label_ids',
    ),
  ] as const;
}

export function selectTasks(db: Db) {
  return db.selectFrom('tasks as t').select(taskColumns());
}

export type TaskRow = NonNullable<Awaited<ReturnType<typeof findTask>>>;

export function findTask(db: Db, taskId: string) {
  return selectTasks(db).where('t.id', '=', taskId).executeTakeFirst();
}

/** A task together with the caller's role in its project; undefined when they may not see it. */
export function findTaskForUser(db: Db, userId: string, taskId: string, options: { lock?: boolean } = {}) {
  let query = selectTasks(db)
    .innerJoin('project_members as m', (join) =>
      join.onRef('m.project_id', '=', 't.project_id').on('m.user_id', '=', userId),
    )
    .select('m.role')
    .where('t.id', '=', taskId);
  if (options.lock) query = query.forUpdate('t');
  return query.executeTakeFirst();
}

export function projectIdOfTask(db: Db, taskId: string) {
  return db.selectFrom('tasks').select('project_id').where('id', '=', taskId).executeTakeFirst();
}

/**
 * Serialises task writes within one project (ordering, the subtask tree, recurrence): taken first
 * in every task-writing transaction, before any row lock, so those transactions cannot deadlock
 * each other. Writes to different projects never wait on one another.
 */
export async function lockProjectTasks(trx: Trx, projectId: string) {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`tasks:${projectId}`}, 0))`.execute(trx);
}

export function lockTasksInProject(trx: Trx, projectId: string, ids: string[]) {
  return selectTasks(trx)
    .where('t.project_id', '=', projectId)
    .where('t.id', 'in', ids)
    .orderBy('t.id')
    .forUpdate('t')
    .execute();
}

export async function insertTask(trx: Trx, values: Insertable<TasksTable>) {
  const row = await trx.insertInto('tasks').values(values).returning('id').executeTakeFirstOrThrow();
  return row.id;
}

export async function updateTask(trx: Trx, taskId: string, values: Updateable<TasksTable>) {
  await trx
    .updateTable('tasks')
    .set({ ...values, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', taskId)
    .execute();
}

export async function deleteTask(trx: Trx, taskId: string) {
  await trx.deleteFrom('tasks').where('id', '=', taskId).execute();
}

export async function setTaskLabels(trx: Trx, taskId: string, labelIds: string[]) {
  await trx.deleteFrom('task_labels').where('task_id', '=', taskId).execute();
  if (labelIds.length) {
    await trx
      .insertInto('task_labels')
      .values(labelIds.map((labelId) => ({ task_id: taskId, label_id: labelId })))
      .execute();
  }
}

/** Which of `labelIds` are labels of the project. */
export async function labelsInProject(db: Db, projectId: string, labelIds: string[]): Promise<Set<string>> {
  if (!labelIds.length) return new Set();
  const rows = await db
    .selectFrom('labels')
    .select('id')
    .where('project_id', '=', projectId)
    .where('id', 'in', labelIds)
    .execute();
  return new Set(rows.map((row) => row.id));
}

export function isMember(db: Db, projectId: string, userId: string): Promise<boolean> {
  return exists(db.selectFrom('project_members').where((eb) => eb.and({ project_id: projectId, user_id: userId })));
}

/** The last position in a status column (null when empty), for appending. */
export async function lastPosition(db: Db, projectId: string, status: TaskStatus): Promise<string | null> {
  const row = await db
    .selectFrom('tasks')
    .select('position')
    .where('project_id', '=', projectId)
    .where('status', '=', status)
    .orderBy('position', 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.position ?? null;
}

/** The neighbour of `position` in its column: the next one after it, or the one before it. */
export async function neighbourPosition(
  db: Db,
  projectId: string,
  status: TaskStatus,
  position: string,
  side: 'before' | 'after',
): Promise<string | null> {
  const row = await db
    .selectFrom('tasks')
    .select('position')
    .where('project_id', '=', projectId)
    .where('status', '=', status)
    .where('position', side === 'after' ? '>' : '<', position)
    .orderBy('position', side === 'after' ? 'asc' : 'desc')
    .limit(1)
    .executeTakeFirst();
  return row?.position ?? null;
}

/**
 * True when `ancestorId` is `taskId` itself or one of its ancestors: making `ancestorId` a child of
 * `taskId` would then close a cycle. Walks up from `taskId` with a recursive CTE (bounded, in case).
 * Callers hold the project's task lock, so the tree cannot change underneath the check.
 */
export async function isAncestorOrSelf(db: Db, ancestorId: string, taskId: string): Promise<boolean> {
  const result = await sql<{ found: boolean }>`
    with recursive up (id, parent_id, depth) as (
      select id, parent_id, 1 from tasks where id = ${taskId}
      union all
      select t.id, t.parent_id, up.depth + 1 from tasks t join up on t.id = up.parent_id where up.depth < 10000
    )
    select exists (select 1 from up where id = ${ancestorId}) as found`.execute(db);
  return result.rows[0]?.found === true;
}

/** Re-derives a parent's progress counts from its children; a change bumps its version (its ETag). */
export async function recountSubtasks(trx: Trx, parentId: string) {
  await sql`
    update tasks p set
      subtasks_total = c.total, subtasks_done = c.done, version = p.version + 1, updated_at = now()
    from (
      select count(*)::int as total, count(*) filter (where status = 'done')::int as done
      from tasks where parent_id = ${parentId}
    ) c
    where p.id = ${parentId} and (p.subtasks_total, p.subtasks_done) is distinct from (c.total, c.done)`.execute(trx);
}

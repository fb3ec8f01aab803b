import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { PLAN_PER_CALL } from '../../db/preparing-client.ts';
import type { CursorValue, CursorValueKind } from '../../lib/cursor.ts';
import type { TaskPriority, TaskStatus } from './tables.ts';
import { selectTasks, type TaskRow } from './task-repository.ts';

/**
 * The task list query (filters, sorts, keyset pages), exported so `explain.test.ts` and the
 * benchmark EXPLAIN exactly what the routes run.
 */

export const TASK_SORTS = {
  due: { column: 'due_sort', kind: 'timestamp', cast: 'timestamptz', order: 'asc' },
  priority: { column: 'priority_rank', kind: 'integer', cast: 'smallint', order: 'desc' },
  created: { column: 'created_at', kind: 'timestamp', cast: 'timestamptz', order: 'desc' },
  updated: { column: 'updated_at', kind: 'timestamp', cast: 'timestamptz', order: 'desc' },
  position: { column: 'position', kind: 'string', cast: 'text', order: 'asc' },
} as const satisfies Record<string, { column: string; kind: CursorValueKind; cast: string; order: 'asc' | 'desc' }>;

export type TaskSort = keyof typeof TASK_SORTS;

export interface TaskFilters {
  status?: TaskStatus[] | undefined;
  priority?: TaskPriority[] | undefined;
  /** a user id, or null for unassigned */
  assigneeId?: string | null | undefined;
  labelId?: string | undefined;
  dueBefore?: Date | undefined;
  dueAfter?: Date | undefined;
  overdue?: boolean | undefined;
  /** a task id, or null for top-level tasks */
  parentId?: string | null | undefined;
  q?: string | undefined;
}

export interface TaskListParams {
  /** one project's tasks, or (undefined) every task in the user's projects */
  projectId?: string | undefined;
  userId: string;
  filters: TaskFilters;
  sort: TaskSort;
  order: 'asc' | 'desc';
  /** the (sort key, id) of the last row of the previous page */
  after?: [CursorValue, CursorValue] | undefined;
  limit: number;
}

const OPEN: TaskStatus[] = ['todo', 'in_progress'];

/**
 * The query behind GET /api/projects/:id/tasks and GET /api/tasks. Keyset pagination on
 * (sort key, id) with one index per sort (tasks_project_<sort>_idx, read in either direction),
 * so a page costs the same at any depth and rows inserted meanwhile never shift the pages.
 *
 * Across projects (GET /api/tasks) it takes the first page of each of the user's projects through
 * that same index (a LATERAL join over their memberships) and merges them: a scan of everything
 * the user can see, followed by a sort, would grow with the size of all their projects.
 */
export function taskListQuery(db: Db, params: TaskListParams) {
  const { sort, order } = params;
  const column = sql.ref(`t.${TASK_SORTS[sort].column}`);
  if (params.projectId) {
    const projectId = params.projectId;
    // Membership is checked in the same statement: a non-member's page is always empty.
    return pageOfProject(db, params, sql<boolean>`t.project_id = ${projectId}::uuid`).where((eb) =>
      eb.exists(
        eb
          .selectFrom('project_members as pm')
          .select('pm.user_id')
          .where('pm.project_id', '=', projectId)
          .where('pm.user_id', '=', params.userId),
      ),
    );
  }
  return db
    .selectFrom('project_members as m')
    .innerJoinLateral(
      () => pageOfProject(db, params, sql<boolean>`t.project_id = m.project_id`).as('t'),
      (join) => join.onTrue(),
    )
    .selectAll('t')
    .where('m.user_id', '=', params.userId)
    .orderBy(column, order)
    .orderBy('t.id', order)
    .limit(params.limit + 1);
}

/** One project's page: filters, keyset position, order and limit. */
function pageOfProject(db: Db, params: TaskListParams, inProject: ReturnType<typeof sql<boolean>>) {
  const { filters: f, sort, order } = params;
  const spec = TASK_SORTS[sort];
  let query = selectTasks(db).where(inProject);
  if (f.status?.length) query = query.where('t.status', 'in', f.status);
  if (f.priority?.length) query = query.where('t.priority', 'in', f.priority);
  if (f.assigneeId !== undefined) {
    query =
      f.assigneeId === null
        ? query.where('t.assignee_id', 'is', null)
        : query.where('t.assignee_id', '=', f.assigneeId);
  }
  if (f.labelId) {
    const labelId = f.labelId;
    query = query.where((eb) =>
      eb.exists(
        eb
          .selectFrom('task_labels as tl')
          .select('tl.task_id')
          .whereRef('tl.task_id', '=', 't.id')
          .where('tl.label_id', '=', labelId),
      ),
    );
  }
  if (f.dueBefore) query = query.where('t.due_sort', '<', f.dueBefore);
  // due_sort of an undated task is far in the future: "due after" means dated tasks only.
  if (f.dueAfter) query = query.where('t.due_sort', '>=', f.dueAfter).where('t.due_at', 'is not', null);
  if (f.overdue === true) query = query.where('t.due_sort', '<', sql<Date>`now()`).where('t.status', 'in', OPEN);
  if (f.overdue === false) {
    query = query.where((eb) => eb.or([eb('t.due_sort', '>=', sql<Date>`now()`), eb('t.status', 'not in', OPEN)]));
  }
  if (f.parentId !== undefined) {
    query = f.parentId === null ? query.where('t.parent_id', 'is', null) : query.where('t.parent_id', '=', f.parentId);
  }
  // Whether the search index helps depends on the words (one in every task, or in none), so
  // the plan is made for the words each time.
  if (f.q)
    query = query.where(sql<boolean>`t.search @@ websearch_to_tsquery('english', ${f.q})`).modifyEnd(PLAN_PER_CALL);
  if (params.after) {
    const [key, id] = params.after;
    const op = order === 'asc' ? '>' : '<';
    query = query.where(
      sql<boolean>`(${sql.ref(`t.${spec.column}`)}, t.id) ${sql.raw(op)} (${key}::${sql.raw(spec.cast)}, ${id}::uuid)`,
    );
  }
  return query
    .orderBy(sql.ref(`t.${spec.column}`), order)
    .orderBy('t.id', order)
    .limit(params.limit + 1);
}

/** The cursor values of a row for a sort: its sort key and id. */
export function sortKeyOf(row: TaskRow, sort: TaskSort): [CursorValue, CursorValue] {
  const value = row[TASK_SORTS[sort].column];
  return [value instanceof Date ? value.toISOString() : value, row.id];
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { planOf } from '../../../src/db/query-plans.ts';
import {
  TASK_SORTS,
  type TaskFilters,
  type TaskSort,
  taskListQuery,
} from '../../../src/modules/tasks/task-list-query.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { createUser } from '../../helpers/users.ts';

/**
 * Every filter and sort of the task lists is index-backed: on a seeded, analysed table, no plan
 * of the exact query the routes run (taskListQuery) reads `tasks` with a sequential scan.
 */

const app: FastifyInstance = await buildTestApp();
const TASKS = 30_000;
const PROJECTS = 60;

test('task list queries use indexes for every filter and sort (EXPLAIN on a seeded table)', async (t) => {
  const me = await createUser(app, 'explainer');
  const other = await createUser(app, 'seeder');
  const db = app.db;

  // Projects owned by someone else; I am a member of three of them.
  await sql`
    insert into projects (owner_id, name)
    select ${other.id}::uuid, 'Project ' || g from generate_series(1, ${PROJECTS}) g`.execute(db);
  await sql`insert into project_members (project_id, user_id, role) select id, ${other.id}::uuid, 'owner' from projects`.execute(
    db,
  );
  await sql`
    insert into project_members (project_id, user_id, role)
    select id, ${me.id}::uuid, 'editor' from projects where owner_id = ${other.id}::uuid order by id limit 3`.execute(
    db,
  );
  await sql`
    insert into labels (project_id, name, color)
    select p.id, 'label ' || n, '#00ff00' from projects p, generate_series(1, 5) n`.execute(db);

  // One statement seeds every task: spread over projects, statuses, priorities, due dates, assignees.
  await sql`
    with p as (select array_agg(id order by id) as ids from projects where owner_id = ${other.id}::uuid)
    insert into tasks (project_id, title, description, status, priority, position, due_date, due_at,
                       assignee_id, created_by, created_at, updated_at)
    select p.ids[1 + g % ${PROJECTS}],
           'Task ' || g || case when g % 97 = 0 then ' invoice' else '' end,
           'Seeded description ' || md5(g::text),
           (array['todo', 'in_progress', 'done', 'canceled'])[1 + g % 4],
           (array['none', 'low', 'medium', 'high', 'urgent'])[1 + g % 5],
           'a' || lpad(g::text, 6, '0'),
           case when g % 3 = 0 then null else date '2026-01-01' + (g % 700) end,
           case when g % 3 = 0 then null
                else ((date '2026-01-01' + (g % 700) + 1)::timestamp - interval '1 millisecond') at time zone 'UTC' end,
           case when g % 7 = 0 then ${me.id}::uuid when g % 7 = 1 then ${other.id}::uuid end,
           ${other.id}::uuid,
           now() - g * interval '1 minute',
           now() - g * interval '30 seconds'
    from generate_series(1, ${TASKS}) g, p`.execute(db);
  // Every tenth task is a subtask of the task before it, and about one in eight has a label.
  await sql`
    update tasks c set parent_id = p.id from tasks p
    where c.project_id = p.project_id and c.position = 'a' || lpad((substr(p.position, 2)::int + ${PROJECTS})::text, 6, '0')
      and substr(p.position, 2)::int % 10 = 0`.execute(db);
  await sql`
    insert into task_labels (task_id, label_id)
    select t.id, (select l.id from labels l where l.project_id = t.project_id order by l.id limit 1)
    from tasks t where substr(t.position, 2)::int % 8 = 0`.execute(db);
  await sql`analyze`.execute(db);

  const [project] = (
    await sql<{
      id: string;
    }>`select project_id as id from project_members where user_id = ${me.id}::uuid limit 1`.execute(db)
  ).rows;
  const [label] = (
    await sql<{ id: string }>`select id from labels where project_id = ${project?.id}::uuid limit 1`.execute(db)
  ).rows;
  const [parent] = (
    await sql<{ id: string }>`select parent_id as id from tasks where parent_id is not null limit 1`.execute(db)
  ).rows;
  const count = await sql<{ n: number }>`select count(*)::int as n from tasks`.execute(db);
  assert.equal(count.rows[0]?.n, TASKS);

  const filters: Record<string, TaskFilters> = {
    none: {},
    status: { status: ['todo', 'in_progress'] },
    priority: { priority: ['urgent'] },
    assignee: { assigneeId: me.id },
    unassigned: { assigneeId: null },
    label: { labelId: label?.id },
    dueBefore: { dueBefore: new Date('2026-03-01T00:00:00Z') },
    dueAfter: { dueAfter: new Date('2027-06-01T00:00:00Z') },
    dueRange: { dueAfter: new Date('2026-06-01T00:00:00Z'), dueBefore: new Date('2026-07-01T00:00:00Z') },
    overdue: { overdue: true },
    topLevel: { parentId: null },
    subtasksOf: { parentId: parent?.id },
    search: { q: 'invoice' },
    combined: { status: ['todo'], priority: ['high', 'urgent'], assigneeId: me.id, q: 'task' },
  };

  const failures: string[] = [];
  const used = new Map<string, number>();
  let plans = 0;
  for (const scope of ['project', 'mine'] as const) {
    for (const sort of Object.keys(TASK_SORTS) as TaskSort[]) {
      for (const order of ['asc', 'desc'] as const) {
        for (const [name, filter] of Object.entries(filters)) {
          for (const page of ['first', 'next'] as const) {
            const sample = sort === 'priority' ? 2 : sort === 'position' ? 'a001000' : '2026-05-01T00:00:00.000Z';
            const query = taskListQuery(db, {
              projectId: scope === 'project' ? project?.id : undefined,
              userId: me.id,
              filters: filter,
              sort,
              order,
              limit: 50,
              after: page === 'next' ? [sample, '80000000-0000-4000-8000-000000000000'] : undefined,
            });
            const scans = (await planOf(query)).filter((node) => node['Relation Name'] === 'tasks');
            plans++;
            for (const node of scans) {
              const key = `${node['Node Type']}${node['Index Name'] ? ` ${node['Index Name']}` : ''}`;
              used.set(key, (used.get(key) ?? 0) + 1);
            }
            if (scans.some((node) => node['Node Type'] === 'Seq Scan')) {
              failures.push(`${scope} sort=${sort} ${order} filter=${name} page=${page}`);
            }
          }
        }
      }
    }
  }
  t.diagnostic(`${plans} plans; scans of tasks: ${[...used].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  assert.deepEqual(failures, [], `sequential scans on tasks in ${failures.length} of ${plans} plans`);
});

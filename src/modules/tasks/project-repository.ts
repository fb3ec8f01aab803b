import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import type { MemberRole } from './tables.ts';

/**
 * SQL for projects, their members and labels. Every read that a user makes goes through
 * `project_members`, so a project the caller is not in simply does not exist for them.
 */

const projectColumns = [
  'p.id',
  'p.name',
  'p.description',
  'p.owner_id',
  'p.archived_at',
  'p.version',
  'p.created_at',
  'p.updated_at',
  'm.role',
] as const;

function projectsOf(db: Db, userId: string) {
  return db
    .selectFrom('projects as p')
    .innerJoin('project_members as m', (join) => join.onRef('m.project_id', '=', 'p.id').on('m.user_id', '=', userId))
    .select(projectColumns);
}

export type ProjectRow = NonNullable<Awaited<ReturnType<typeof findProject>>>;

/** The project with the caller's role, or undefined when they are not a member. */
export function findProject(db: Db, userId: string, projectId: string) {
  return projectsOf(db, userId).where('p.id', '=', projectId).executeTakeFirst();
}

/** Same, locking the project row for the rest of the transaction. */
export function lockProject(trx: Trx, userId: string, projectId: string) {
  return projectsOf(trx, userId).where('p.id', '=', projectId).forNoKeyUpdate('p').executeTakeFirst();
}

/** Projects the user is a member of, newest first, keyset-paginated on (created_at, id). */
export function listProjects(
  db: Db,
  userId: string,
  options: { archived: boolean; limit: number; after?: { createdAt: string; id: string } | undefined },
) {
  let query = projectsOf(db, userId).where('p.archived_at', options.archived ? 'is not' : 'is', null);
  if (options.after) {
    const { createdAt, id } = options.after;
    query = query.where(sql<boolean>`(p.created_at, p.id) < (${createdAt}::timestamptz, ${id}::uuid)`);
  }
  return query.orderBy('p.created_at', 'desc').orderBy('p.id', 'desc').limit(options.limit).execute();
}

export async function insertProject(trx: Trx, ownerId: string, values: { name: string; description: string }) {
  const project = await trx
    .insertInto('projects')
    .values({ owner_id: ownerId, ...values })
    .returning('id')
    .executeTakeFirstOrThrow();
  await trx.insertInto('project_members').values({ project_id: project.id, user_id: ownerId, role: 'owner' }).execute();
  return project.id;
}

export async function updateProject(
  trx: Trx,
  projectId: string,
  values: { name?: string; description?: string; archived_at?: Date | null },
) {
  await trx
    .updateTable('projects')
    .set({ ...values, version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', '=', projectId)
    .execute();
}

/** A change to the members changes the project as each member sees it (their role), so its ETag. */
export async function touchProject(trx: Trx, projectId: string) {
  await updateProject(trx, projectId, {});
}

export async function deleteProject(trx: Trx, projectId: string) {
  await trx.deleteFrom('projects').where('id', '=', projectId).execute();
}

export function listMembers(db: Db, projectId: string) {
  return db
    .selectFrom('project_members as m')
    .innerJoin('user_profiles as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'u.username', 'u.image', 'm.role', 'm.created_at'])
    .where('m.project_id', '=', projectId)
    .orderBy('m.created_at')
    .orderBy('m.user_id')
    .execute();
}

export type MemberRow = Awaited<ReturnType<typeof listMembers>>[number];

/** Everyone in the project: the audience of its realtime events. */
export async function memberIds(db: Db, projectId: string): Promise<string[]> {
  const rows = await db.selectFrom('project_members').select('user_id').where('project_id', '=', projectId).execute();
  return rows.map((row) => row.user_id);
}

export function findMember(db: Db, projectId: string, userId: string) {
  return db
    .selectFrom('project_members as m')
    .innerJoin('user_profiles as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'u.username', 'u.image', 'm.role', 'm.created_at'])
    .where('m.project_id', '=', projectId)
    .where('m.user_id', '=', userId)
    .executeTakeFirst();
}

export async function insertMember(trx: Trx, projectId: string, userId: string, role: MemberRole) {
  await trx.insertInto('project_members').values({ project_id: projectId, user_id: userId, role }).execute();
}

export async function updateMemberRole(trx: Trx, projectId: string, userId: string, role: MemberRole) {
  await trx
    .updateTable('project_members')
    .set({ role })
    .where('project_id', '=', projectId)
    .where('user_id', '=', userId)
    .execute();
}

/**
 * Removes a member. Their tasks in the project are unassigned (an assignee must be a member),
 * and each such task records it in its activity and gets a new version.
 */
export async function deleteMember(trx: Trx, projectId: string, userId: string, actorId: string) {
  await trx
    .insertInto('task_activity')
    .columns(['task_id', 'actor_id', 'kind', 'changes'])
    .expression(
      trx
        .selectFrom('tasks')
        .select([
          'id',
          sql.lit(actorId).as('actor_id'),
          sql.lit('updated').as('kind'),
          sql`jsonb_build_array(jsonb_build_object('field', 'assigneeId', 'from', assignee_id::text, 'to', null))`.as(
            'changes',
          ),
        ])
        .where('project_id', '=', projectId)
        .where('assignee_id', '=', userId),
    )
    .execute();
  await trx
    .updateTable('tasks')
    .set({ assignee_id: null, version: sql`version + 1`, updated_at: sql`now()` })
    .where('project_id', '=', projectId)
    .where('assignee_id', '=', userId)
    .execute();
  await trx.deleteFrom('project_members').where('project_id', '=', projectId).where('user_id', '=', userId).execute();
}

const labelColumns = ['id', 'project_id', 'name', 'color', 'created_at'] as const;

export function listLabels(db: Db, projectId: string) {
  return db
    .selectFrom('labels')
    .select(labelColumns)
    .where('project_id', '=', projectId)
    .orderBy(sql`lower(name)`)
    .execute();
}

export type LabelRow = Awaited<ReturnType<typeof listLabels>>[number];

export function insertLabel(db: Db, projectId: string, values: { name: string; color: string }) {
  return db
    .insertInto('labels')
    .values({ project_id: projectId, ...values })
    .returning(labelColumns)
    .executeTakeFirstOrThrow();
}

export function updateLabel(db: Db, projectId: string, labelId: string, values: { name?: string; color?: string }) {
  return db
    .updateTable('labels')
    .set(values)
    .where('id', '=', labelId)
    .where('project_id', '=', projectId)
    .returning(labelColumns)
    .executeTakeFirst();
}

/** Deleting a label takes it off its tasks; they get a new version, since their representation changed. */
export async function deleteLabel(trx: Trx, projectId: string, labelId: string) {
  await trx
    .updateTable('tasks')
    .set({ version: sql`version + 1`, updated_at: sql`now()` })
    .where('id', 'in', trx.selectFrom('task_labels').select('task_id').where('label_id', '=', labelId))
    .execute();
  const result = await trx
    .deleteFrom('labels')
    .where('id', '=', labelId)
    .where('project_id', '=', projectId)
    .executeTakeFirst();
  return Number(result.numDeletedRows) > 0;
}

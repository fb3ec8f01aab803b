import { unprocessable } from '../../core/errors.ts';
import { checkVersion } from '../../core/etag.ts';
import type { Db } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { found, inTransaction } from '../../db/transactions.ts';
import { cursorScope, decodeCursor, toPage } from '../../lib/cursor.ts';
import { findUserByUsernameOrEmail } from '../auth/index.ts';
import { projectTopic, requireRole, type TasksContext } from './access.ts';
import {
  labelExists,
  labelNotFound,
  memberExists,
  memberNotFound,
  ownerCannotLeave,
  ownerRoleFixed,
  projectNotFound,
} from './errors.ts';
import { toLabel, toMember, toProject } from './mappers.ts';
import * as repo from './project-repository.ts';
import type { MemberRole } from './tables.ts';
import { lockProjectTasks } from './task-repository.ts';

/** Rules for projects, their members and labels. */

export async function createProject(db: Db, userId: string, input: { name: string; description?: string | undefined }) {
  const id = await inTransaction(db, (trx) =>
    repo.insertProject(trx, userId, { name: input.name, description: input.description ?? '' }),
  );
  return getProject(db, userId, id);
}

export async function getProject(db: Db, userId: string, projectId: string) {
  const row = await repo.findProject(db, userId, projectId);
  if (!row) throw projectNotFound();
  return toProject(row);
}

export async function listProjects(
  db: Db,
  userId: string,
  query: { archived: boolean; limit: number; cursor?: string | undefined },
) {
  const scope = cursorScope({ list: 'projects', archived: query.archived });
  let after: { createdAt: string; id: string } | undefined;
  if (query.cursor) {
    const [createdAt, id] = decodeCursor(query.cursor, scope, ['timestamp', 'uuid']) as [string, string];
    after = { createdAt, id };
  }
  const rows = await repo.listProjects(db, userId, { archived: query.archived, limit: query.limit + 1, after });
  const page = toPage(rows, query.limit, scope, (row) => [row.created_at.toISOString(), row.id]);
  return { items: page.rows.map(toProject), nextCursor: page.nextCursor };
}

export async function updateProject(
  db: Db,
  userId: string,
  projectId: string,
  input: { name?: string | undefined; description?: string | undefined; archived?: boolean | undefined },
  expected: number | undefined,
) {
  await inTransaction(db, async (trx) => {
    const row = await repo.lockProject(trx, userId, projectId);
    if (!row) throw projectNotFound();
    requireRole(row.role, 'owner', 'change the project');
    checkVersion(expected, row.version);
    const values: Parameters<typeof repo.updateProject>[2] = {};
    if (input.name !== undefined) values.name = input.name;
    if (input.description !== undefined) values.description = input.description;
    if (input.archived !== undefined && input.archived !== (row.archived_at !== null)) {
      values.archived_at = input.archived ? new Date() : null;
    }
    await repo.updateProject(trx, projectId, values);
  });
  return getProject(db, userId, projectId);
}

export async function deleteProject(db: Db, userId: string, projectId: string, expected: number | undefined) {
  await inTransaction(db, async (trx) => {
    const row = await repo.lockProject(trx, userId, projectId);
    if (!row) throw projectNotFound();
    requireRole(row.role, 'owner', 'delete the project');
    checkVersion(expected, row.version);
    await repo.deleteProject(trx, projectId);
  });
}

/** The caller's role in a project; 404 when they are not a member. */
export async function roleIn(db: Db, userId: string, projectId: string): Promise<MemberRole> {
  const row = await repo.findProject(db, userId, projectId);
  if (!row) throw projectNotFound();
  return row.role;
}

export async function listMembers(db: Db, userId: string, projectId: string) {
  await roleIn(db, userId, projectId);
  return { items: (await repo.listMembers(db, projectId)).map(toMember) };
}

export async function addMember(
  db: Db,
  userId: string,
  projectId: string,
  input: { username?: string; email?: string; role: MemberRole },
) {
  if ((input.username === undefined) === (input.email === undefined)) {
    throw unprocessable([{ field: 'body', message: 'give exactly one of username or email' }]);
  }
  const [field, login] = input.username !== undefined ? ['username', input.username] : ['email', input.email ?? ''];
  const added = await inTransaction(db, async (trx) => {
    const project = await repo.lockProject(trx, userId, projectId);
    requireRole(project?.role, 'owner', 'change members');
    const profile = await findUserByUsernameOrEmail(trx, login);
    if (!profile) throw unprocessable([{ field: `body.${field}`, message: `no user has this ${field}` }]);
    if (await repo.findMember(trx, projectId, profile.id)) {
      throw memberExists();
    }
    try {
      await repo.insertMember(trx, projectId, profile.id, input.role);
    } catch (error) {
      if (isUniqueViolation(error)) throw memberExists();
      throw error;
    }
    await repo.touchProject(trx, projectId);
    return profile.id;
  });
  return toMember(found(await repo.findMember(db, projectId, added)));
}

export async function changeMemberRole(db: Db, userId: string, projectId: string, memberId: string, role: MemberRole) {
  await inTransaction(db, async (trx) => {
    const project = await repo.lockProject(trx, userId, projectId);
    requireRole(project?.role, 'owner', 'change members');
    const member = await repo.findMember(trx, projectId, memberId);
    if (!member) throw memberNotFound();
    if (member.role === 'owner') throw ownerRoleFixed();
    await repo.updateMemberRole(trx, projectId, memberId, role);
    await repo.touchProject(trx, projectId);
  });
  return toMember(found(await repo.findMember(db, projectId, memberId)));
}

/** The owner removes anyone but themselves; any other member may leave. Their live subscription ends with it. */
export async function removeMember(ctx: TasksContext, userId: string, projectId: string, memberId: string) {
  await ctx.realtime.withEvents(ctx.db, async (trx, emit) => {
    const project = await repo.lockProject(trx, userId, projectId);
    if (!project) throw projectNotFound();
    if (memberId !== userId) requireRole(project.role, 'owner', 'remove other members');
    const member = await repo.findMember(trx, projectId, memberId);
    if (!member) throw memberNotFound();
    if (member.role === 'owner') throw ownerCannotLeave();
    await lockProjectTasks(trx, projectId);
    await repo.deleteMember(trx, projectId, memberId, userId);
    await repo.touchProject(trx, projectId);
    await emit(projectTopic(projectId), {
      type: 'project.member_removed',
      data: { projectId, userId: memberId },
      audience: await repo.memberIds(trx, projectId),
    });
  });
}

export async function listLabels(db: Db, userId: string, projectId: string) {
  await roleIn(db, userId, projectId);
  return { items: (await repo.listLabels(db, projectId)).map(toLabel) };
}

export async function createLabel(db: Db, userId: string, projectId: string, input: { name: string; color: string }) {
  requireRole(await roleIn(db, userId, projectId), 'editor', 'manage labels');
  try {
    return toLabel(await repo.insertLabel(db, projectId, input));
  } catch (error) {
    if (isUniqueViolation(error)) throw labelExists();
    throw error;
  }
}

export async function updateLabel(
  db: Db,
  userId: string,
  projectId: string,
  labelId: string,
  input: { name?: string | undefined; color?: string | undefined },
) {
  requireRole(await roleIn(db, userId, projectId), 'editor', 'manage labels');
  const values: { name?: string; color?: string } = {};
  if (input.name !== undefined) values.name = input.name;
  if (input.color !== undefined) values.color = input.color;
  try {
    const row = await repo.updateLabel(db, projectId, labelId, values);
    if (!row) throw labelNotFound();
    return toLabel(row);
  } catch (error) {
    if (isUniqueViolation(error)) throw labelExists();
    throw error;
  }
}

export async function deleteLabel(db: Db, userId: string, projectId: string, labelId: string) {
  requireRole(await roleIn(db, userId, projectId), 'editor', 'manage labels');
  const deleted = await inTransaction(db, async (trx) => {
    await lockProjectTasks(trx, projectId);
    return repo.deleteLabel(trx, projectId, labelId);
  });
  if (!deleted) throw labelNotFound();
}

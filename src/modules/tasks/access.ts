import type { Realtime } from '../../core/realtime/plugin.ts';
import type { Db } from '../../db/database.ts';
import { projectNotFound, roleTooLow } from './errors.ts';
import type { MemberRole } from './tables.ts';

/**
 * Who may do what in a project.
 * Non-members get 404 for everything in a project (its existence is not confirmed); members whose
 * role is too low get 403.
 */

const RANK: Record<MemberRole, number> = { viewer: 0, editor: 1, owner: 2 };

export function requireRole(
  role: MemberRole | undefined,
  needed: MemberRole,
  what: string,
): asserts role is MemberRole {
  if (role === undefined) throw projectNotFound();
  if (RANK[role] < RANK[needed]) throw roleTooLow(needed, what);
}

/** What services that publish realtime events need from the app: the database and `app.realtime`. */
export interface TasksContext {
  db: Db;
  realtime: Realtime;
}

/** The realtime topic of a project's task changes: `project:<id>`, readable by its members. */
export const PROJECT_TOPICS = 'project';
export const projectTopic = (projectId: string) => `${PROJECT_TOPICS}:${projectId}`;

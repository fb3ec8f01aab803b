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

import type { Kysely, Transaction } from 'kysely';
import { AppError, forbidden, notFound } from '../../core/errors.ts';
import { isConcurrencyFailure } from '../../db/errors.ts';
import type { Database } from '../../db/schema.ts';
import type { MemberRole } from './tables.ts';

/**
 * Who may do what in a project, and the transaction wrapper every write goes through.
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
  if (RANK[role] < RANK[needed])
    throw forbidden(`Only a project ${needed}${needed === 'owner' ? '' : ' or owner'} may ${what}`);
}

export const projectNotFound = () => notFound('PROJECT_NOT_FOUND', 'No such project');
export const taskNotFound = () => notFound('TASK_NOT_FOUND', 'No such task');

/**
 * Runs `work` in a transaction. Serialization failures and deadlocks (which the advisory locks
 * make unlikely) become a 409 the client can retry, never a 500.
 */
export async function inTransaction<T>(db: Kysely<Database>, work: (trx: Transaction<Database>) => Promise<T>) {
  try {
    return await db.transaction().execute(work);
  } catch (error) {
    if (isConcurrencyFailure(error)) {
      throw new AppError(409, 'CONCURRENT_UPDATE', 'A concurrent change got in the way; retry the request', {
        cause: error,
      });
    }
    throw error;
  }
}

/** A row that was just written in the same request: its absence is a bug, not a 404. */
export function found<T>(row: T | undefined): T {
  if (row === undefined) throw new Error('row vanished after write');
  return row;
}

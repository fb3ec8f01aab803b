import { AppError } from '../core/errors.ts';
import type { Db, Trx } from './database.ts';
import { isConcurrencyFailure } from './errors.ts';

/**
 * Runs `work` in a transaction. Serialization failures and deadlocks (which advisory locks make
 * unlikely) become a 409 the client can retry, never a 500. Given a transaction already (an
 * idempotent request's, see core/idempotency.ts `requestDb`), the work joins it.
 */
export async function inTransaction<T>(db: Db, work: (trx: Trx) => Promise<T>): Promise<T> {
  if (db.isTransaction) return work(db as Trx);
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

/**
 * Work that must wait until a transaction commits (publishing the events it wrote). A transaction
 * that `inTransaction` opened has committed when it returns, so its hooks run at once; one opened
 * elsewhere and handed down (an idempotent request's, which commits only when its answer is
 * recorded) is marked by its opener with `holdCommitHooks`, whose `releaseCommitHooks` runs them
 * after the commit. A rollback simply never releases them.
 */
const heldHooks = new WeakMap<object, Array<() => void>>();

export function holdCommitHooks(trx: object): void {
  heldHooks.set(trx, []);
}

export function releaseCommitHooks(trx: object): void {
  const hooks = heldHooks.get(trx) ?? [];
  heldHooks.delete(trx);
  for (const hook of hooks) hook();
}

/** Runs `hook` once `db`'s work has committed: now, or when the transaction's opener releases it. */
export function afterCommit(db: Db, hook: () => void): void {
  const held = heldHooks.get(db);
  if (held) held.push(hook);
  else hook();
}

/** PostgreSQL error codes we act on (the same from `pg` and from PGlite). */
const UNIQUE_VIOLATION = '23505';
const FOREIGN_KEY_VIOLATION = '23503';
const SERIALIZATION_FAILURE = '40001';
const DEADLOCK_DETECTED = '40P01';

interface PgError {
  code?: string;
  constraint?: string;
}

/** True for a unique-constraint violation, optionally of one named constraint or index. */
export function isUniqueViolation(error: unknown, constraint?: string): boolean {
  const e = error as PgError;
  return e?.code === UNIQUE_VIOLATION && (constraint === undefined || e.constraint === constraint);
}

export function isForeignKeyViolation(error: unknown): boolean {
  return (error as PgError)?.code === FOREIGN_KEY_VIOLATION;
}

/** A transaction PostgreSQL aborted because of a concurrent one: retrying it may succeed. */
export function isConcurrencyFailure(error: unknown): boolean {
  const code = (error as PgError)?.code;
  return code === SERIALIZATION_FAILURE || code === DEADLOCK_DETECTED;
}

/** Runs an insert whose parent row may vanish concurrently; `'gone'` when it did. */
export async function unlessParentGone(insert: Promise<unknown>): Promise<'ok' | 'gone'> {
  try {
    await insert;
    return 'ok';
  } catch (error) {
    if (isForeignKeyViolation(error)) return 'gone';
    throw error;
  }
}

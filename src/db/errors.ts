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

// SQLSTATE classes and codes that mean "the database is not there right now", not "this query is
// wrong": connection exceptions (08…), the server shutting down or starting (57P01-57P03), no free
// connection slot (53300).
const UNAVAILABLE_SQLSTATE = /^(08...|57P0[1-3]|53300)$/;
// What node and pg report when no connection can be made or one drops under a query.
const UNAVAILABLE_SYSCALL = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
]);
const UNAVAILABLE_MESSAGE =
  /^(Connection terminated|timeout exceeded when trying to connect|Client has encountered a connection error|Client was closed and is not queryable)/;

/**
 * True when `error` says the database cannot be reached (down, restarting, failing over, out of
 * connections) rather than that a statement failed: such a request deserves a 503 and a retry, never
 * a 500.
 */
export function isDatabaseUnavailable(error: unknown): boolean {
  for (let current = error, depth = 0; current && depth < 5; depth++) {
    const e = current as { code?: unknown; message?: unknown; errors?: unknown[]; cause?: unknown };
    if (typeof e.code === 'string' && (UNAVAILABLE_SQLSTATE.test(e.code) || UNAVAILABLE_SYSCALL.has(e.code)))
      return true;
    if (typeof e.message === 'string' && UNAVAILABLE_MESSAGE.test(e.message)) return true;
    // A refused connection to a name with several addresses comes as an AggregateError of each.
    if (Array.isArray(e.errors) && e.errors.some(isDatabaseUnavailable)) return true;
    current = e.cause;
  }
  return false;
}

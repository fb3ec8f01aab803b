import type { DatabaseConnection, Dialect, DialectAdapter, Driver } from 'kysely';

/**
 * Checks that run whenever a handle is about to take a connection of its own: every statement on
 * the app-wide handle, and the start of each transaction opened on it. Statements inside a
 * transaction already hold their connection and never come here. What it is for: the idempotency
 * plugin refuses a query on the app-wide handle from a handler whose request holds its claim's
 * transaction (core/idempotency.ts), which on PGlite's single connection would wait forever.
 */
export type AcquireCheck = () => void;

/**
 * Wraps `dialect` so its driver runs `checks` (read at each acquire, so they may be added later)
 * before taking a connection. For a single-connection engine (PGlite) Kysely queues acquirers on a
 * lock before the driver is ever asked, so a check there would run only after the wait it is meant
 * to prevent; this wrapper therefore takes over that queue and runs the checks in front of it.
 */
export function guardedDialect(dialect: Dialect, checks: readonly AcquireCheck[]): Dialect {
  const adapter = dialect.createAdapter();
  const single = !adapter.supportsMultipleConnections;
  return {
    createAdapter: (): DialectAdapter =>
      single ? Object.create(adapter, { supportsMultipleConnections: { value: true } }) : adapter,
    createIntrospector: (db) => dialect.createIntrospector(db),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createDriver(): Driver {
      const driver = dialect.createDriver();
      const acquire = driver.acquireConnection.bind(driver);
      const release = driver.releaseConnection.bind(driver);
      const queue = single ? new ConnectionQueue() : undefined;
      driver.acquireConnection = async (): Promise<DatabaseConnection> => {
        for (const check of checks) check();
        await queue?.take();
        try {
          return await acquire();
        } catch (error) {
          queue?.give();
          throw error;
        }
      };
      driver.releaseConnection = async (connection) => {
        try {
          await release(connection);
        } finally {
          queue?.give();
        }
      };
      return driver;
    },
  };
}

/** One holder at a time, the rest waiting in turn (what Kysely does for single-connection drivers). */
class ConnectionQueue {
  #held: Promise<void> | undefined;
  #free: (() => void) | undefined;

  async take(): Promise<void> {
    while (this.#held) await this.#held;
    this.#held = new Promise((resolve) => {
      this.#free = resolve;
    });
  }

  give(): void {
    const free = this.#free;
    this.#held = undefined;
    this.#free = undefined;
    free?.();
  }
}

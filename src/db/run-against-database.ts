import { ConfigError, loadConfig } from '../config.ts';
import { assertSafeForProduction } from '../production-guard.ts';
import { createDatabase, type Db } from './database.ts';
import { DatabaseInUseError } from './pglite-lock.ts';

/**
 * How a command-line tool (`npm run db:migrate`, `npm run auth:make-admin`) works on the database
 * the environment (and `.env`) names: opens it, runs `work`, always closes it. A configuration
 * error (including one the production guard refuses), an embedded database another process holds
 * (the server), or one of `expected` (errors whose message is the whole story) prints its message
 * and exits 1, having changed nothing; anything else is a bug and is thrown with its stack.
 */
export async function runAgainstDatabase(
  work: (db: Db) => Promise<void>,
  expected: (new (...args: never[]) => Error)[] = [],
): Promise<void> {
  try {
    const config = loadConfig(process.env, { dotenv: true });
    assertSafeForProduction(config, 'tool');
    const db = createDatabase(config.database);
    try {
      await work(db);
    } finally {
      await db.destroy();
    }
  } catch (error) {
    const known = [ConfigError, DatabaseInUseError, ...expected];
    if (known.some((kind) => error instanceof kind)) {
      console.error((error as Error).message);
      process.exit(1);
    }
    throw error;
  }
}

import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { type Driver, Kysely, type Transaction } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.ts';
import { type AcquireCheck, guardedDialect } from './connection-guard.ts';
import { LiteralLimitsPGliteDialect, LiteralLimitsPostgresDialect } from './literal-limits.ts';
import { lockDataDir } from './pglite-lock.ts';
import { PreparingClient } from './preparing-client.ts';
import type { Database } from './schema.ts';

/** The database handle every repository function takes first (or a transaction, which is one too). */
export type Db = Kysely<Database>;
/** A transaction: what functions that lock rows take, so they cannot be called outside one. */
export type Trx = Transaction<Database>;

// The embedded engine behind a handle, for the few libraries that talk to it directly (the job
// queue: src/core/jobs/); they go through PGlite's own lock, so they never interleave with a
// transaction Kysely holds.
const embeddedEngines = new WeakMap<Db, PGlite>();

const acquireChecks = new WeakMap<Db, AcquireCheck[]>();

/**
 * Runs `check` before `db` takes a connection (see connection-guard.ts); a check that throws
 * fails the statement, at once, instead of letting it wait.
 */
export function beforeAcquire(db: Db, check: AcquireCheck): void {
  const checks = acquireChecks.get(db);
  if (!checks) throw new Error('beforeAcquire needs a handle made by createDatabase');
  checks.push(check);
}

/** The PGlite instance behind `db`, or undefined when `db` is a PostgreSQL server pool. */
export function embeddedEngineOf(db: Db): PGlite | undefined {
  return embeddedEngines.get(db);
}

// PostgreSQL returns int8 (counts, bigint ids) as strings to avoid precision loss. Our counts fit
// comfortably in a double, and numbers are what the API returns.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

// timestamptz comes in PostgreSQL's ISO form ('2026-11-24 11:10:36.097123+00'), which V8's own
// date parser reads twice as fast as pg's regex-based one and without its garbage (a page of
// articles carries 40). What V8 does not read (offsets with seconds) and what it would misread
// (BC years) or cannot hold in that shape (infinity, years past 9999) goes to pg's parser.
const parseTimestamptzInJs = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ);
pg.types.setTypeParser(pg.types.builtins.TIMESTAMPTZ, (value: string) => {
  if (value.charCodeAt(4) !== 45 || value.charCodeAt(10) !== 32 || value.endsWith('BC')) {
    return parseTimestamptzInJs(value);
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? parseTimestamptzInJs(value) : date;
});

/**
 * Opens the database the config names: a pooled PostgreSQL server, or the embedded PGlite
 * (persisted under a folder, or in memory for tests). Either way the rest of the code sees one
 * Kysely handle and writes the same SQL.
 */
export function createDatabase(database: Config['database']): Db {
  if (database.kind === 'postgres') {
    const pool = new pg.Pool({
      connectionString: database.url,
      max: database.poolMax,
      // Off for a pooler that cannot keep prepared statements (PgBouncer in transaction mode
      // before 1.21): DATABASE_PREPARED_STATEMENTS=false.
      ...(database.preparedStatements !== false ? { Client: PreparingClient } : {}),
      connectionTimeoutMillis: 5_000,
      idleTimeoutMillis: 30_000,
    });
    // A client losing its connection (server restart, failover, outage) must not crash the
    // process: idle ones are replaced by the pool, and one checked out (a transaction between two
    // statements) reports the loss to its next query, which answers 503 (core/errors.ts). Without a
    // listener of its own, a checked-out client's 'error' event would be uncaught.
    pool.on('error', () => {});
    pool.on('connect', (client) => client.on('error', () => {}));
    return guarded(
      (checks) => new Kysely<Database>({ dialect: guardedDialect(new LiteralLimitsPostgresDialect({ pool }), checks) }),
    );
  }
  let release = () => {};
  if (database.dataDir) {
    mkdirSync(database.dataDir, { recursive: true });
    release = lockDataDir(database.dataDir);
  }
  const pglite = new PGlite(database.dataDir ?? 'memory://', {
    parsers: { 20: (value: string) => Number.parseInt(value, 10) },
  });
  const db = guarded(
    (checks) =>
      new Kysely<Database>({ dialect: guardedDialect(new ReleasingPGliteDialect({ pglite }, release), checks) }),
  );
  embeddedEngines.set(db, pglite);
  return db;
}

function guarded(open: (checks: AcquireCheck[]) => Db): Db {
  const checks: AcquireCheck[] = [];
  const db = open(checks);
  acquireChecks.set(db, checks);
  return db;
}

/** PGlite that gives its data folder back (`lockDataDir`) once closed. */
class ReleasingPGliteDialect extends LiteralLimitsPGliteDialect {
  readonly #release: () => void;

  constructor(config: ConstructorParameters<typeof LiteralLimitsPGliteDialect>[0], release: () => void) {
    super(config);
    this.#release = release;
  }

  override createDriver(): Driver {
    const driver = super.createDriver();
    const destroy = driver.destroy.bind(driver);
    driver.destroy = async () => {
      try {
        await destroy();
      } finally {
        this.#release();
      }
    };
    return driver;
  }
}

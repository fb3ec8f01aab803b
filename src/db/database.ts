import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { Kysely, PGliteDialect, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.ts';
import type { Database } from './schema.ts';

export type Db = Kysely<Database>;

// PostgreSQL returns int8 (counts, bigint ids) as strings to avoid precision loss. Our counts fit
// comfortably in a double, and numbers are what the API returns.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number.parseInt(value, 10));

// Statements worth preparing: data queries. Transaction control and DDL are sent as they are.
const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i;

const PLAN_PER_CALL_MARK = '/* plan per call */';

/**
 * Marks a query (`query.modifyEnd(PLAN_PER_CALL)`) to be planned for its actual values on every
 * run. A prepared statement soon switches to one generic plan, chosen without knowing the values;
 * for a predicate whose selectivity is all in the value, such as a full-text search (a word in
 * every row, or in none), that plan can be a thousand times slower than the right one.
 */
export const PLAN_PER_CALL = sql.raw(PLAN_PER_CALL_MARK);

/**
 * A `pg` client that sends every data query as a named prepared statement: PostgreSQL parses it
 * once per connection and, after a few runs, reuses its plan. Our queries are built by Kysely with
 * every value as a parameter, so a few hundred distinct texts cover the whole API, and planning
 * (often costlier than running an index lookup) stops being paid on every request.
 */
class PreparingClient extends pg.Client {
  static readonly #names = new Map<string, string>();

  // biome-ignore lint/suspicious/noExplicitAny: pg's query() has a dozen overloads; we wrap one shape.
  override query(...args: any[]): any {
    const [text, values] = args;
    if (
      typeof text === 'string' &&
      Array.isArray(values) &&
      args.length === 2 &&
      PREPARABLE.test(text) &&
      !text.includes(PLAN_PER_CALL_MARK)
    ) {
      return super.query({ name: PreparingClient.#nameOf(text), text, values });
    }
    // biome-ignore lint/suspicious/noExplicitAny: see above.
    return (super.query as any)(...args);
  }

  static #nameOf(text: string): string {
    let name = PreparingClient.#names.get(text);
    if (!name) {
      name = `gw_${createHash('sha1').update(text).digest('base64url')}`;
      if (PreparingClient.#names.size > 10_000) PreparingClient.#names.clear();
      PreparingClient.#names.set(text, name);
    }
    return name;
  }
}

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
    // An idle client losing its connection (server restart, failover) must not crash the process;
    // the pool replaces it and the next query reconnects.
    pool.on('error', () => {});
    return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  }
  if (database.dataDir) mkdirSync(database.dataDir, { recursive: true });
  const pglite = new PGlite(database.dataDir ?? 'memory://', {
    parsers: { 20: (value: string) => Number.parseInt(value, 10) },
  });
  return new Kysely<Database>({ dialect: new PGliteDialect({ pglite }) });
}

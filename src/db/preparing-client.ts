import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { LRUCache } from 'lru-cache';
import pg from 'pg';

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
 * Prepared statements each connection keeps; the least recently used is deallocated to make room.
 * The API has a few hundred query shapes; page sizes and offsets (literals: literal-limits.ts)
 * add a text each, and without a bound a client walking through offsets would grow every
 * connection's server memory for good.
 */
export const STATEMENTS_PER_CONNECTION = 500;

/** The part of pg's connection that records which statement names the server has parsed. */
interface ParsedStatements {
  connection: { parsedStatements: Record<string, string> };
}

/**
 * A `pg` client that sends every data query as a named prepared statement: PostgreSQL parses it
 * once per connection and, when its generic plan is as good as a fresh one, reuses that plan.
 * Our queries are built by Kysely with values as parameters, so a few hundred distinct texts
 * cover the whole API, and planning (often costlier than running an index lookup) stops being
 * paid on every request.
 */
export class PreparingClient extends pg.Client {
  static readonly #names = new LRUCache<string, string>({ max: 10_000 });

  readonly #prepared = new LRUCache<string, true>({
    max: STATEMENTS_PER_CONNECTION,
    dispose: (_value, name, reason) => {
      if (reason === 'evict') this.#deallocate(name);
    },
  });

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
      const name = PreparingClient.#nameOf(text);
      // Evicting another statement queues its DEALLOCATE ahead of this query.
      this.#prepared.set(name, true);
      return super.query({ name, text, values });
    }
    // biome-ignore lint/suspicious/noExplicitAny: see above.
    return (super.query as any)(...args);
  }

  #deallocate(name: string): void {
    const parsed = (this as unknown as ParsedStatements).connection.parsedStatements;
    if (parsed[name] === undefined) return; // its Parse failed: the server has nothing to free
    // pg forgets the statement only once the server has: were DEALLOCATE to fail (inside an
    // aborted transaction), pg must not parse the name again while the server still holds it.
    super.query(`deallocate "${name}"`).then(
      () => delete parsed[name],
      () => {},
    );
  }

  static #nameOf(text: string): string {
    let name = PreparingClient.#names.get(text);
    if (!name) {
      name = `gw_${createHash('sha1').update(text).digest('base64url')}`;
      PreparingClient.#names.set(text, name);
    }
    return name;
  }
}

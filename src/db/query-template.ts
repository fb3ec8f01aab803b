import { type Compilable, type CompiledQuery, createQueryId } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { Db } from './database.ts';

// Stands in for the k-th string argument while a template is built. The NUL bytes keep it from
// ever being a real value, and the capitals show if a builder changed it (lower-cased it, say).
const placeholder = (k: number) => `\u0000GW${k}\u0000`;

interface Template {
  compiled: CompiledQuery;
  /** parameter position → index of the string argument that fills it; other positions are constants */
  slots: Array<[position: number, argument: number]>;
}

/** `args` with every string replaced by a placeholder, and the strings in order. */
function withPlaceholders(args: unknown[]): { shape: string; strings: string[]; standIns: unknown[] } {
  const strings: string[] = [];
  const swap = (value: unknown): unknown => {
    if (typeof value === 'string') return placeholder(strings.push(value) - 1);
    if (Array.isArray(value)) return value.map(swap);
    if (value && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, swap(inner)]));
    }
    return value;
  };
  const standIns = args.map(swap);
  return { shape: JSON.stringify(standIns), strings, standIns };
}

/**
 * A query builder whose SQL is built once per shape and afterwards only gets new values.
 *
 * Kysely builds and compiles a fresh operation tree on every call, and for the API's hottest
 * reads (a page of articles) that was about a fifth of the request's CPU and allocations. A
 * template calls `build` with every string argument replaced by a placeholder, compiles it, and
 * remembers which parameters the placeholders became; later calls with the same shape (the same
 * arguments, strings aside: which are null or absent, the page size and offset) reuse the SQL and
 * put the real strings in those parameters.
 *
 * So strings must reach the query as values, untouched: a string that decides the SQL's shape, or
 * that the builder transforms, is refused when the template is built. Numbers, booleans, null
 * and undefined are part of the shape (LIMIT and OFFSET are literals in the SQL anyway).
 */
export function queryTemplate<A extends unknown[], R>(build: (db: Db, ...args: A) => Compilable<R>, shapes = 1_000) {
  const templates = new LRUCache<string, Template>({ max: shapes });

  const compile = (db: Db, standIns: unknown[], strings: string[]): Template => {
    const compiled = build(db, ...(standIns as A)).compile();
    if (compiled.sql.includes('\u0000')) throw new Error('queryTemplate: a string argument shapes the SQL');
    const slots: Template['slots'] = [];
    const argumentOf = new Map(strings.map((_string, k) => [placeholder(k), k]));
    compiled.parameters.forEach((parameter, position) => {
      if (typeof parameter !== 'string' || !parameter.includes('\u0000')) return;
      const argument = argumentOf.get(parameter);
      if (argument === undefined) {
        throw new Error('queryTemplate: a string argument was changed before it reached the query');
      }
      slots.push([position, argument]);
    });
    return { compiled, slots };
  };

  return (db: Db, ...args: A): CompiledQuery<R> => {
    const { shape, strings, standIns } = withPlaceholders(args);
    let template = templates.get(shape);
    if (!template) {
      template = compile(db, standIns, strings);
      templates.set(shape, template);
    }
    const parameters = [...template.compiled.parameters];
    for (const [position, argument] of template.slots) parameters[position] = strings[argument];
    return { ...template.compiled, parameters, queryId: createQueryId() } as CompiledQuery<R>;
  };
}

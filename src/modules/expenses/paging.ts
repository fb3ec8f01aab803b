import { sql } from 'kysely';
import { cursorScope, decodeCursor, toPage } from '../../lib/cursor.ts';

/**
 * Keyset pages in creation order, `(created_at, id)`, as most of this module's lists are (accounts,
 * categories, tags, payees, budgets, rules, imports): one place decodes the cursor and builds the
 * page, each repository orders by `(created_at, id)` and adds `afterCreated(alias, after)`.
 */

export interface CreatedPageQuery {
  limit: number;
  cursor?: string | undefined;
}

export function createdCursor(list: string, filters: object, query: CreatedPageQuery) {
  const scope = cursorScope({ list, ...filters });
  const after = query.cursor
    ? (decodeCursor(query.cursor, scope, ['timestamp', 'uuid']) as [string, string])
    : undefined;
  return { scope, after };
}

export function afterCreated(alias: string, after: [string, string]) {
  return sql<boolean>`(${sql.ref(`${alias}.created_at`)}, ${sql.ref(`${alias}.id`)}) > (${after[0]}::timestamptz, ${after[1]}::uuid)`;
}

export function createdPage<R extends { created_at: Date; id: string }, T>(
  rows: R[],
  limit: number,
  scope: string,
  map: (row: R) => T,
) {
  const page = toPage(rows, limit, scope, (row) => [row.created_at.toISOString(), row.id]);
  return { items: page.rows.map(map), nextCursor: page.nextCursor };
}

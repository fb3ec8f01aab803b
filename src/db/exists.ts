import { type SelectQueryBuilder, sql } from 'kysely';
import type { Database } from './schema.ts';

/** Whether the query finds a row: `select 1 … limit 1`, for probes such as "is a member", "follows". */
export async function exists<TB extends keyof Database>(
  query: SelectQueryBuilder<Database, TB, object>,
): Promise<boolean> {
  return (await query.select(sql<number>`1`.as('found')).limit(1).executeTakeFirst()) !== undefined;
}

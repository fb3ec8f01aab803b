import { type Kysely, sql, type Transaction } from 'kysely';
import type { RealtimeTables } from './tables.ts';

/**
 * The durable half of realtime: every event a module publishes is appended here in the same
 * transaction as the change it describes, numbered per topic. Bumping the topic's counter row
 * locks it until commit, so ids within a topic are gap-free and in commit order: when event N is
 * visible, so is every event before it. That is what lets a subscriber fill any gap (a reconnect,
 * a pub/sub message lost or overtaken) from here, exactly.
 */

// biome-ignore lint/suspicious/noExplicitAny: called with the app's Db and with bare handles alike.
type AnyDb = Kysely<any>;
const log = (db: AnyDb) => db as unknown as Kysely<RealtimeTables>;

export interface NewEvent {
  type: string;
  data: unknown;
  /** Everyone who may read the topic once this event commits. */
  audience: readonly string[];
}

export interface StoredEvent {
  topic: string;
  id: number;
  type: string;
  data: unknown;
  audience: string[];
}

// biome-ignore lint/suspicious/noExplicitAny: see AnyDb.
export async function appendEvent(trx: Transaction<any>, topic: string, event: NewEvent): Promise<StoredEvent> {
  const { last_id: id } = await log(trx)
    .insertInto('realtime_topics')
    .values({ topic, last_id: 1 })
    .onConflict((oc) => oc.column('topic').doUpdateSet({ last_id: sql`realtime_topics.last_id + 1` }))
    .returning('last_id')
    .executeTakeFirstOrThrow();
  const audience = [...new Set(event.audience)];
  await log(trx)
    .insertInto('realtime_events')
    .values({ topic, id, type: event.type, data: JSON.stringify(event.data), audience })
    .execute();
  return { topic, id, type: event.type, data: event.data, audience };
}

/** The id of the topic's latest event (0 when it has none). */
export async function latestEventId(db: AnyDb, topic: string): Promise<number> {
  const row = await log(db)
    .selectFrom('realtime_topics')
    .select('last_id')
    .where('topic', '=', topic)
    .executeTakeFirst();
  return row?.last_id ?? 0;
}

export interface LoggedEvent {
  id: number;
  type: string;
  data: unknown;
  /** Whether the reader was in the event's audience. */
  visible: boolean;
}

/**
 * Up to `limit` events of `topic` after `after` (and at most `upTo`), oldest first, each marked
 * with whether `userId` may read it. Invisible rows come back too, so the caller can tell a row
 * it may not read (skipped, or a lost membership) from a row that is gone (pruned).
 */
export async function readEvents(
  db: AnyDb,
  topic: string,
  userId: string,
  range: { after: number; upTo?: number | undefined; limit: number },
): Promise<LoggedEvent[]> {
  let query = log(db)
    .selectFrom('realtime_events')
    .select(['id', 'type', sql<unknown>`case when ${userId}::uuid = any(audience) then data end`.as('data')])
    .select(sql<boolean>`${userId}::uuid = any(audience)`.as('visible'))
    .where('topic', '=', topic)
    .where('id', '>', range.after);
  if (range.upTo !== undefined) query = query.where('id', '<=', range.upTo);
  return query.orderBy('id').limit(range.limit).execute();
}

/** Deletes events older than `before`; the counters stay, so ids never restart. */
export async function pruneEvents(db: AnyDb, before: Date): Promise<number> {
  const result = await log(db).deleteFrom('realtime_events').where('created_at', '<', before).executeTakeFirst();
  return Number(result.numDeletedRows);
}

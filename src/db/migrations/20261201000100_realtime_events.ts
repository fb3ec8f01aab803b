import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and typed against no schema.
export async function up(db: Kysely<any>): Promise<void> {
  // One counter row per topic. Appending an event bumps it, which locks the row until the
  // transaction ends: events of one topic are numbered in commit order, without gaps, so a client
  // that saw event N of a topic has seen everything before it (src/core/realtime/event-log.ts).
  await sql`
    create table realtime_topics (
      topic text primary key,
      last_id bigint not null
    )`.execute(db);
  // The durable part of every realtime event, kept for a while so a reconnecting client can be
  // sent what it missed. `audience` is who may read the topic as of the event's commit: delivery
  // and replay both check it.
  await sql`
    create table realtime_events (
      topic text not null,
      id bigint not null,
      type text not null,
      data jsonb not null,
      audience uuid[] not null,
      created_at timestamptz(3) not null default now(),
      primary key (topic, id)
    )`.execute(db);
  // The retention sweep deletes by age.
  await sql`create index realtime_events_created_at_idx on realtime_events (created_at)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table realtime_events`.execute(db);
  await sql`drop table realtime_topics`.execute(db);
}

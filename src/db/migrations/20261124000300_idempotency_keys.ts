import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and typed against no schema.
export async function up(db: Kysely<any>): Promise<void> {
  // One row per (user, route, Idempotency-Key): the primary key is what makes two concurrent
  // duplicates resolve to one execution (src/core/idempotency.ts).
  await sql`
    create table idempotency_keys (
      user_id uuid not null references users (id) on delete cascade,
      route text not null,
      key text not null,
      fingerprint text not null,
      status_code smallint,
      response_headers jsonb,
      response_body text,
      locked_at timestamptz not null default now(),
      created_at timestamptz not null default now(),
      expires_at timestamptz not null,
      primary key (user_id, route, key)
    )`.execute(db);
  // The periodic sweep of expired keys.
  await sql`create index idempotency_keys_expires_at_idx on idempotency_keys (expires_at)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table idempotency_keys`.execute(db);
}

import { type Kysely, sql } from 'kysely';

// Imports of notes (POST /api/notes/import): the upload waits here for its job, which reads it,
// creates the notes, records what it did and lets the bytes go.

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and typed against no schema.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table note_imports (
      id uuid primary key default gen_random_uuid(),
      owner_id uuid not null references users (id) on delete cascade,
      format text not null check (format in ('zip', 'enex')),
      status text not null default 'queued' check (status in ('queued', 'done', 'failed')),
      content bytea,
      imported integer not null default 0,
      skipped jsonb not null default '[]',
      created_at timestamptz(3) not null default now(),
      finished_at timestamptz(3)
    )`.execute(db);
  await sql`create index note_imports_owner_idx on note_imports (owner_id, created_at)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table note_imports`.execute(db);
}

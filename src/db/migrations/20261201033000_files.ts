import { type Kysely, sql } from 'kysely';

// Files and their blobs. A row exists from the moment an upload starts (status 'uploading'), so a
// crash at any point leaves a row the clean-up can find and remove with its blob: no blob ever
// lives without a row. Users who own files cannot be deleted past them (restrict): their blobs
// must go through the files module first.

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and typed against no schema.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table files (
      id uuid primary key default gen_random_uuid(),
      owner_id uuid not null references users (id) on delete restrict,
      status text not null default 'uploading' check (status in ('uploading', 'ready', 'deleted')),
      purpose text not null,
      name text not null check (char_length(name) between 1 and 255),
      content_type text not null default 'application/octet-stream',
      size bigint not null default 0 check (size >= 0),
      sha256 text check (sha256 ~ '^[0-9a-f]{64}$'),
      width integer,
      height integer,
      storage_key text not null unique,
      attachment_count integer not null default 0 check (attachment_count >= 0),
      created_at timestamptz(3) not null default now(),
      -- When the file last became attached to nothing (its upload, or its last detach).
      unattached_since timestamptz(3) default now(),
      deleted_at timestamptz(3)
    )`.execute(db);
  // A user's files, newest first (GET /api/files), and the sum of their sizes (quota).
  await sql`create index files_owner_created_idx on files (owner_id, created_at desc, id desc)`.execute(db);
  // The clean-up's three sweeps: unattached ready files, deleted files, stalled uploads.
  await sql`create index files_unattached_idx on files (unattached_since) where status = 'ready' and attachment_count = 0`.execute(
    db,
  );
  await sql`create index files_status_created_idx on files (status, created_at) where status <> 'ready'`.execute(db);

  await sql`
    create table file_attachments (
      file_id uuid not null references files (id) on delete restrict,
      object_type text not null check (object_type ~ '^[a-z][a-z0-9_]{0,39}$'),
      object_id text not null check (char_length(object_id) between 1 and 100),
      created_at timestamptz(3) not null default now(),
      primary key (file_id, object_type, object_id)
    )`.execute(db);
  // "The files of this note" (listAttachments).
  await sql`create index file_attachments_object_idx on file_attachments (object_type, object_id, created_at)`.execute(
    db,
  );

  await sql`
    create table file_previews (
      file_id uuid not null references files (id) on delete cascade,
      width integer not null,
      storage_key text not null unique,
      size bigint not null,
      content_type text not null,
      created_at timestamptz(3) not null default now(),
      primary key (file_id, width)
    )`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and typed against no schema.
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table file_previews`.execute(db);
  await sql`drop table file_attachments`.execute(db);
  await sql`drop table files`.execute(db);
}

import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and typed against no schema.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table conversations (
      id uuid primary key default gen_random_uuid(),
      kind text not null check (kind in ('direct', 'group')),
      title text check (char_length(title) between 1 and 200),
      -- "smaller-uuid:larger-uuid" of a direct conversation's two users: the unique key that makes
      -- it exactly one per pair, however many requests race to create it.
      direct_key text unique,
      created_by uuid references users (id) on delete set null,
      -- The per-conversation message counter, bumped in the inserting transaction (row lock), so
      -- sequence numbers are gap-free and in commit order.
      last_seq bigint not null default 0,
      last_activity_at timestamptz(3) not null default now(),
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      check ((kind = 'direct') = (direct_key is not null)),
      check ((kind = 'group') = (title is not null))
    )`.execute(db);
  await sql`create index conversations_created_by_idx on conversations (created_by)`.execute(db);

  await sql`
    create table conversation_members (
      conversation_id uuid not null references conversations (id) on delete cascade,
      user_id uuid not null references users (id) on delete cascade,
      role text not null check (role in ('admin', 'member')),
      last_read_seq bigint not null default 0,
      joined_at timestamptz(3) not null default now(),
      primary key (conversation_id, user_id)
    )`.execute(db);
  // "My conversations": the list, the unread counts and every membership check start here.
  await sql`create index conversation_members_user_id_idx on conversation_members (user_id, conversation_id) include (last_read_seq)`.execute(
    db,
  );

  await sql`
    create table messages (
      conversation_id uuid not null references conversations (id) on delete cascade,
      seq bigint not null,
      author_id uuid references users (id) on delete set null,
      body text not null check (char_length(body) <= 4000),
      reply_to_seq bigint,
      edited_at timestamptz(3),
      deleted_at timestamptz(3),
      created_at timestamptz(3) not null default now(),
      primary key (conversation_id, seq),
      foreign key (conversation_id, reply_to_seq) references messages (conversation_id, seq)
    )`.execute(db);
  await sql`create index messages_author_id_idx on messages (author_id)`.execute(db);
  // Unread counts: the messages after a read position that someone else wrote and did not delete.
  await sql`create index messages_unread_idx on messages (conversation_id, seq) include (author_id) where deleted_at is null`.execute(
    db,
  );
  // The reply-to foreign key's own index (a reply-to is never deleted: deletion leaves a tombstone).
  await sql`create index messages_reply_to_idx on messages (conversation_id, reply_to_seq) where reply_to_seq is not null`.execute(
    db,
  );

  await sql`
    create table user_blocks (
      blocker_id uuid not null references users (id) on delete cascade,
      blocked_id uuid not null references users (id) on delete cascade,
      created_at timestamptz(3) not null default now(),
      primary key (blocker_id, blocked_id),
      check (blocker_id <> blocked_id)
    )`.execute(db);
  // "Has either blocked the other": probed from both ends.
  await sql`create index user_blocks_blocked_id_idx on user_blocks (blocked_id, blocker_id)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table user_blocks`.execute(db);
  await sql`drop table messages`.execute(db);
  await sql`drop table conversation_members`.execute(db);
  await sql`drop table conversations`.execute(db);
}

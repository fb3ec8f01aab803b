import { type Kysely, sql } from 'kysely';

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and typed against no schema.
export async function up(db: Kysely<any>): Promise<void> {
  // GET /api/auth/users?q=: prefix search on email or username, case-insensitively. The unique
  // indexes on lower(...) use the database collation, which LIKE 'abc%' cannot use; these can.
  await sql`create index users_email_lower_prefix_idx on users (lower(email) text_pattern_ops)`.execute(db);
  await sql`create index users_username_lower_prefix_idx on users (lower(username) text_pattern_ops)`.execute(db);
  // GET /api/auth/users: newest first, keyset-paginated on (created_at, id).
  await sql`create index users_created_at_id_idx on users (created_at desc, id desc)`.execute(db);
  // GET /api/auth/sessions: a user's sessions newest first, keyset-paginated on (created_at, id).
  await sql`create index auth_sessions_user_created_idx on auth_sessions (user_id, created_at desc, id desc)`.execute(
    db,
  );
  // The index above starts with user_id, so it also serves the foreign key; this one is redundant.
  await sql`drop index auth_sessions_user_id_idx`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await sql`create index auth_sessions_user_id_idx on auth_sessions (user_id)`.execute(db);
  await sql`drop index auth_sessions_user_created_idx`.execute(db);
  await sql`drop index users_created_at_id_idx`.execute(db);
  await sql`drop index users_username_lower_prefix_idx`.execute(db);
  await sql`drop index users_email_lower_prefix_idx`.execute(db);
}

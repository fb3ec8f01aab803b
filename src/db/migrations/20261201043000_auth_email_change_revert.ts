import { type Kysely, sql } from 'kysely';

// A one-time token may also be the link mailed to the old address after an email change, which
// puts that address back and ends every session (`revert_email_change`).
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and typed against no schema.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table auth_one_time_tokens drop constraint auth_one_time_tokens_purpose_check`.execute(db);
  await sql`alter table auth_one_time_tokens add constraint auth_one_time_tokens_purpose_check
    check (purpose in ('verify_email', 'password_reset', 'login_code', 'revert_email_change'))`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await sql`delete from auth_one_time_tokens where purpose = 'revert_email_change'`.execute(db);
  await sql`alter table auth_one_time_tokens drop constraint auth_one_time_tokens_purpose_check`.execute(db);
  await sql`alter table auth_one_time_tokens add constraint auth_one_time_tokens_purpose_check
    check (purpose in ('verify_email', 'password_reset', 'login_code'))`.execute(db);
}

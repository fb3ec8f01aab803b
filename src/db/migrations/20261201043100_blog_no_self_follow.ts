import { type Kysely, sql } from 'kysely';

// Following yourself is refused by the API (422); the database holds the same rule, and drops the
// self-follows that were possible before.
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and typed against no schema.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`delete from blog_follows where follower_id = followee_id`.execute(db);
  await sql`alter table blog_follows add constraint blog_follows_not_self check (follower_id <> followee_id)`.execute(
    db,
  );
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table blog_follows drop constraint blog_follows_not_self`.execute(db);
}

import { type Kysely, sql } from 'kysely';

/**
 * The roll-up's key index also carries `currency` and `amount`, so the reports read a user's months
 * from the index alone (index-only scans). Without them every roll-up row a report sums was a heap
 * visit, and a user's rows lie scattered among everyone else's (each month's are written when that
 * month happens): a five-year net worth on a large table visited ~1,000 heap pages where a small
 * table needed ~130. The price: a roll-up update now changes an indexed column, so it is never a
 * HOT update — a few more index writes per transaction write, which are rare next to report reads.
 * Swapped in one transaction, so upserts always find their unique index.
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and typed against no schema.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`set local lock_timeout = '5s'`.execute(db);
  await sql`drop index expense_monthly_key_idx`.execute(db);
  await sql`
    create unique index expense_monthly_key_idx on expense_monthly (user_id, month, account_id, category_id, kind)
    include (currency, amount) nulls not distinct`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and typed against no schema.
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop index expense_monthly_key_idx`.execute(db);
  await sql`
    create unique index expense_monthly_key_idx on expense_monthly (user_id, month, account_id, category_id, kind)
    nulls not distinct`.execute(db);
}

import { sql } from 'kysely';
import type { Db } from '../../../db/database.ts';

/** SQL for exchange rates: one per user, pair and date (the primary key is also every lookup's index). */

const columns = [
  'base',
  'quote',
  sql<string>`date::text`.as('date'),
  sql<string>`rate::text`.as('rate'),
  'created_at',
] as const;

export type RateRow = { base: string; quote: string; date: string; rate: string; created_at: Date };

export async function upsertRates(
  db: Db,
  userId: string,
  rates: Array<{ base: string; quote: string; date: string; rate: string }>,
): Promise<RateRow[]> {
  if (rates.length === 0) return [];
  return db
    .insertInto('expense_rates')
    .values(rates.map((rate) => ({ user_id: userId, ...rate })))
    .onConflict((oc) => oc.columns(['user_id', 'base', 'quote', 'date']).doUpdateSet({ rate: sql`excluded.rate` }))
    .returning(columns)
    .execute();
}

export function listRates(
  db: Db,
  userId: string,
  options: { base?: string | undefined; quote?: string | undefined; limit: number; after?: string[] | undefined },
) {
  let query = db
    .selectFrom('expense_rates')
    .select(columns)
    .where('user_id', '=', userId)
    .orderBy('base')
    .orderBy('quote')
    .orderBy('date')
    .limit(options.limit + 1);
  if (options.base) query = query.where('base', '=', options.base);
  if (options.quote) query = query.where('quote', '=', options.quote);
  if (options.after) {
    const [base, quote, date] = options.after;
    query = query.where(sql<boolean>`(base, quote, date) > (${base}::char(3), ${quote}::char(3), ${date}::date)`);
  }
  return query.execute();
}

export async function deleteRate(db: Db, userId: string, key: { base: string; quote: string; date: string }) {
  const result = await db
    .deleteFrom('expense_rates')
    .where('user_id', '=', userId)
    .where('base', '=', key.base)
    .where('quote', '=', key.quote)
    .where('date', '=', key.date)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

/** The latest rate `base`→`quote` on or before `date`, not older than `oldest`. */
export async function latestRate(db: Db, userId: string, base: string, quote: string, date: string, oldest: string) {
  return db
    .selectFrom('expense_rates')
    .select([sql<string>`date::text`.as('date'), sql<string>`rate::text`.as('rate')])
    .where('user_id', '=', userId)
    .where('base', '=', base)
    .where('quote', '=', quote)
    .where('date', '<=', date)
    .where('date', '>=', oldest)
    .orderBy('date', 'desc')
    .limit(1)
    .executeTakeFirst();
}

/** For each of `dates`, the latest rate `base`→`quote` on or before it and at most `maxAgeDays` older: one round trip. */
export async function latestRates(
  db: Db,
  userId: string,
  base: string,
  quote: string,
  dates: string[],
  maxAgeDays: number,
) {
  const result = await sql<{ day: string; date: string | null; rate: string | null }>`
    select d.day::text as day, r.date::text as date, r.rate::text as rate
    from unnest(${sql.val(dates)}::date[]) as d (day)
    left join lateral (
      select date, rate from expense_rates
      where user_id = ${userId} and base = ${base} and quote = ${quote}
        and date <= d.day and date >= d.day - ${maxAgeDays}::int
      order by date desc limit 1
    ) r on true`.execute(db);
  return result.rows;
}

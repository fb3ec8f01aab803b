import type pg from 'pg';
import { hashPassword } from '../src/modules/auth/passwords.ts';

/** How much data one size holds. Counts are exact; contents are deterministic functions of the row number. */
export interface SeedPlan {
  users: number;
}

export const PLANS = {
  small: { users: 1_000 },
  large: { users: 100_000 },
} satisfies Record<string, SeedPlan>;

export type Size = keyof typeof PLANS;

/** Every seeded user has this password, so log-in scenarios can use any of them. */
export const BENCH_PASSWORD = 'bench-password-not-common';
export const benchUsername = (i: number) => `user${i}`;
export const benchEmail = (i: number) => `user${i}@bench.example`;

/**
 * Fills a migrated database. Rows are generated inside PostgreSQL (`insert … select from
 * generate_series`), which loads a million rows in seconds instead of shipping them over the wire;
 * pseudo-random choices are arithmetic on the row number, so every run builds the same data.
 */
export async function seed(client: pg.Client, plan: SeedPlan, log: (line: string) => void): Promise<void> {
  const timed = async (label: string, sql: string, params: unknown[] = []) => {
    const started = Date.now();
    const result = await client.query(sql, params);
    log(`${label}: ${result.rowCount ?? 0} rows in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  };

  // One real argon2id hash shared by all users: hashing 100k passwords would take minutes and
  // tell us nothing.
  const passwordHash = await hashPassword(BENCH_PASSWORD);
  await timed(
    'users',
    `insert into users (email, username, password_hash, bio, created_at, updated_at, email_verified_at)
     select 'user' || i || '@bench.example', 'user' || i, $1,
            case when i % 3 = 0 then 'Writer number ' || i end,
            now() - make_interval(mins => i), now() - make_interval(mins => i), now()
     from generate_series(1, $2::int) as i`,
    [passwordHash, plan.users],
  );
}

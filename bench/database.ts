import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { createDatabase } from '../src/db/database.ts';
import { MIGRATIONS_FOLDER, migrateToLatest } from '../src/db/migrator.ts';
import type { SeedPlan } from './seed.ts';

/**
 * The bench database for one data size, on the server BENCH_DATABASE_URL names. BENCH_DATABASE_PREFIX
 * keeps apart the data sets of several checkouts benchmarking on one server (each would otherwise
 * rebuild the other's when their migrations differ).
 */
export function benchDatabaseUrl(serverUrl: string, size: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${process.env.BENCH_DATABASE_PREFIX ?? 'groundwork_bench'}_${size}`;
  return url.toString();
}

/**
 * What the seeded data depends on: the migrations and the generator's own code. When this is
 * unchanged the existing database is reused, so the 1M-article data set is built once.
 */
function fingerprint(plan: SeedPlan): string {
  const hash = createHash('sha256');
  for (const file of readdirSync(MIGRATIONS_FOLDER).sort()) {
    hash.update(file).update(readFileSync(path.join(MIGRATIONS_FOLDER, file)));
  }
  for (const file of readdirSync(import.meta.dirname)
    .filter((f) => f.startsWith('seed'))
    .sort()) {
    hash.update(readFileSync(path.join(import.meta.dirname, file)));
  }
  return hash.update(JSON.stringify(plan)).digest('hex');
}

async function withClient<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Makes sure the size's database exists, is migrated and holds the current seed. Returns false
 * when it was already up to date.
 */
export async function prepareDatabase(
  serverUrl: string,
  size: string,
  plan: SeedPlan,
  seed: (client: pg.Client, log: (line: string) => void) => Promise<void>,
): Promise<boolean> {
  const url = benchDatabaseUrl(serverUrl, size);
  const name = new URL(url).pathname.slice(1);
  const wanted = fingerprint(plan);

  const current = await withClient(serverUrl, async (admin) => {
    const exists = await admin.query('select 1 from pg_database where datname = $1', [name]);
    if (exists.rowCount === 0) return null;
    return withClient(url, async (client) => {
      const meta = await client
        .query("select value from bench_meta where key = 'fingerprint'")
        .catch(() => ({ rows: [] as { value: string }[] }));
      return meta.rows[0]?.value ?? null;
    });
  });
  if (current === wanted) return false;

  console.log(`[${size}] building the data set (${current ? 'seed changed' : 'first run'})`);
  await withClient(serverUrl, async (admin) => {
    await admin.query(`drop database if exists ${name} with (force)`);
    await admin.query(`create database ${name}`);
  });
  const db = createDatabase({ kind: 'postgres', url, poolMax: 2 });
  try {
    await migrateToLatest(db);
  } finally {
    await db.destroy();
  }
  await withClient(url, async (client) => {
    await seed(client, (line) => console.log(`[${size}] ${line}`));
    await client.query('create table bench_meta (key text primary key, value text not null)');
    await client.query("insert into bench_meta values ('fingerprint', $1)", [wanted]);
    // VACUUM too, not only ANALYZE: the bulk load leaves dead row versions (counter triggers update
    // articles) and no visibility map, so otherwise autovacuum would run during the measurements and
    // index-only scans would still visit the heap.
    console.log(`[${size}] vacuum (analyze)`);
    await client.query('vacuum (analyze)');
  });
  return true;
}

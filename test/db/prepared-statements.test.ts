import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { createDatabase } from '../../src/db/database.ts';
import { PLAN_PER_CALL, STATEMENTS_PER_CONNECTION } from '../../src/db/preparing-client.ts';
import { closeAtFileEnd } from '../helpers/app.ts';

// Prepared statements are a feature of the PostgreSQL server driver; PGlite runs in process.
const serverUrl = process.env.TEST_DATABASE_URL;
const skip = serverUrl ? false : 'needs TEST_DATABASE_URL (a PostgreSQL server)';

/** One connection, so every statement of a test lands in the same session's cache. */
function openOneConnection() {
  const db = createDatabase({ kind: 'postgres', url: serverUrl ?? '', poolMax: 1 });
  closeAtFileEnd(() => db.destroy());
  const statements = (marker: string) =>
    db
      .selectFrom(
        sql<{ statement: string; generic_plans: number; custom_plans: number }>`pg_prepared_statements`.as('p'),
      )
      .select(['p.statement', 'p.generic_plans', 'p.custom_plans'])
      .where('p.statement', 'like', `%${marker}%`)
      .where('p.statement', 'not like', '%pg_prepared_statements%')
      .execute();
  return { db, statements };
}

test('data queries run as named prepared statements, unless marked to be planned per call', { skip }, async () => {
  const { db, statements } = openOneConnection();
  for (let i = 0; i < 6; i++) {
    await db.selectNoFrom(sql<number>`${i}::int`.as('cached_plan_probe')).execute();
    await db.selectNoFrom(sql<number>`${i}::int`.as('per_call_probe')).modifyEnd(PLAN_PER_CALL).execute();
  }
  assert.equal((await statements('cached_plan_probe')).length, 1);
  assert.equal((await statements('per_call_probe')).length, 0);
});

test('a paged query keeps one cached plan: LIMIT and OFFSET are in its text', { skip }, async () => {
  const { db, statements } = openOneConnection();
  const page = () =>
    db
      .selectFrom(sql<{ n: number }>`generate_series(1, 1000)`.as('s'))
      .select(sql<number>`s`.as('paged_probe'))
      .where(sql<number>`s`, '>', 0)
      .orderBy(sql`s`)
      .limit(20)
      .offset(40);
  assert.match(page().compile().sql, /limit 20 offset 40$/);
  for (let i = 0; i < 8; i++) assert.equal((await page().execute()).length, 20);
  const [statement] = await statements('paged_probe');
  assert.ok(statement && statement.generic_plans > 0, `planned afresh every run: ${JSON.stringify(statement)}`);
});

test(`each connection keeps at most ${STATEMENTS_PER_CONNECTION} statements, the least recently used go`, {
  skip,
}, async () => {
  const { db, statements } = openOneConnection();
  const probe = (i: number) => db.selectNoFrom(sql<number>`${i}::int`.as(`evict_probe_${i}`)).execute();
  for (let i = 0; i <= STATEMENTS_PER_CONNECTION; i++) await probe(i);
  const kept = (await statements('evict_probe_')).map((row) => row.statement);
  const total = await db
    .selectFrom(sql`pg_prepared_statements`.as('p'))
    .select(sql<number>`count(*)`.as('n'))
    .executeTakeFirstOrThrow();
  assert.equal(total.n, STATEMENTS_PER_CONNECTION);
  assert.ok(kept.some((text) => text.includes(`"evict_probe_${STATEMENTS_PER_CONNECTION}"`)));
  assert.ok(!kept.some((text) => text.includes('"evict_probe_0"')), 'the oldest statement is still prepared');
  // A deallocated statement is prepared again when it comes back.
  assert.deepEqual(await probe(0), [{ evict_probe_0: 0 }]);
  assert.ok((await statements('"evict_probe_0"')).length === 1);
});

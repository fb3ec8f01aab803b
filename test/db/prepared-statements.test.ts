import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { createDatabase, PLAN_PER_CALL } from '../../src/db/database.ts';
import { closeAtFileEnd } from '../helpers/app.ts';

// Prepared statements are a feature of the PostgreSQL server driver; PGlite runs in process.
const serverUrl = process.env.TEST_DATABASE_URL;
const skip = serverUrl ? false : 'needs TEST_DATABASE_URL (a PostgreSQL server)';

test('data queries run as named prepared statements, unless marked to be planned per call', { skip }, async () => {
  // One connection, so every statement below lands in the same session's cache.
  const db = createDatabase({ kind: 'postgres', url: serverUrl ?? '', poolMax: 1 });
  closeAtFileEnd(() => db.destroy());
  const prepared = async (marker: string) =>
    (
      await db
        .selectFrom(sql<{ statement: string }>`pg_prepared_statements`.as('p'))
        .select('p.statement')
        .where('p.statement', 'like', `%${marker}%`)
        .execute()
    ).length;

  for (let i = 0; i < 6; i++) {
    await db.selectNoFrom(sql<number>`${i}::int`.as('cached_plan_probe')).execute();
    await db.selectNoFrom(sql<number>`${i}::int`.as('per_call_probe')).modifyEnd(PLAN_PER_CALL).execute();
  }
  assert.equal(await prepared('cached_plan_probe'), 1);
  assert.equal(await prepared('per_call_probe'), 0);
});

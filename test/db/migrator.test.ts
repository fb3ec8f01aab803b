import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import { createDatabase, type Db } from '../../src/db/database.ts';
import { MIGRATIONS_FOLDER, MigrationError, migrateToLatest, rollbackOne } from '../../src/db/migrator.ts';
import { closeAtFileEnd, freshDatabaseUrl } from '../helpers/app.ts';

// Runs on in-memory PGlite, or on a database of its own when TEST_DATABASE_URL is set.
const url = await freshDatabaseUrl();
const open = (): Db =>
  createDatabase(url ? { kind: 'postgres', url, poolMax: 2 } : { kind: 'pglite', dataDir: undefined });
const db = open();
closeAtFileEnd(() => db.destroy());

const root = mkdtempSync(join(tmpdir(), 'gw-migrations-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** A folder of migrations, each `name: up-body` (plus a matching `down` that drops the table). */
function folder(name: string, migrations: Record<string, { table: string; fail?: boolean }>): string {
  const dir = join(root, name);
  mkdirSync(dir);
  for (const [file, { table, fail }] of Object.entries(migrations)) {
    writeFileSync(
      join(dir, `${file}.mjs`),
      `export async function up(db) {
        await db.schema.createTable('${table}').addColumn('id', 'integer').execute();
        ${fail ? "await db.selectFrom('no_such_table').selectAll().execute();" : ''}
      }
      export async function down(db) {
        await db.schema.dropTable('${table}').execute();
      }\n`,
    );
  }
  return dir;
}

async function tableExists(table: string): Promise<boolean> {
  const { rows } = await sql<{ name: string | null }>`select to_regclass(${table})::text as name`.execute(db);
  return rows[0]?.name != null;
}

test('a failing migration throws a MigrationError and leaves the schema unchanged', async () => {
  const dir = folder('failing', {
    '20260101000000_good': { table: 'gw_good' },
    '20260101000001_bad': { table: 'gw_bad', fail: true },
  });
  await assert.rejects(migrateToLatest(db, dir), (error: unknown) => {
    assert.ok(error instanceof MigrationError);
    assert.match(
      error.message,
      /^Migration "20260101000001_bad" failed: .*no_such_table.*\. The schema was left unchanged\.$/,
    );
    return true;
  });
  assert.equal(await tableExists('gw_good'), false, 'the good migration before it was not rolled back');
  assert.equal(await tableExists('gw_bad'), false);
  const applied = await sql<{ name: string }>`select name from kysely_migration`.execute(db);
  assert.deepEqual(applied.rows, [], 'a migration was recorded as applied');
});

test('migrations apply in order, once, and roll back one at a time', async () => {
  const dir = folder('good', {
    '20260102000000_first': { table: 'gw_first' },
    '20260102000001_second': { table: 'gw_second' },
  });
  assert.deepEqual(await migrateToLatest(db, dir), ['20260102000000_first', '20260102000001_second']);
  assert.deepEqual(await migrateToLatest(db, dir), [], 'migrating again does nothing');
  assert.ok((await tableExists('gw_first')) && (await tableExists('gw_second')));

  assert.deepEqual(await rollbackOne(db, dir), ['20260102000001_second']);
  assert.equal(await tableExists('gw_second'), false);
  assert.equal(await tableExists('gw_first'), true);
  assert.deepEqual(await rollbackOne(db, dir), ['20260102000000_first']);
  assert.equal(await tableExists('gw_first'), false);
  assert.deepEqual(await rollbackOne(db, dir), [], 'nothing left to roll back');
});

test('instances migrating at the same time apply each migration once', {
  skip: !url && 'needs PostgreSQL',
}, async () => {
  const dir = folder('concurrent', { '20260103000000_together': { table: 'gw_together' } });
  const other = open();
  try {
    const results = await Promise.all([migrateToLatest(db, dir), migrateToLatest(other, dir)]);
    assert.deepEqual(results.flat(), ['20260103000000_together']);
  } finally {
    await other.destroy();
  }
  assert.deepEqual(await rollbackOne(db, dir), ['20260103000000_together']);
});

test('migrations sharing a timestamp apply in one fixed order: by full name, whatever the locale', async () => {
  const dir = folder('same-stamp', {
    '20260104000000_tasks': { table: 'gw_same_b' },
    '20260104000000_idempotency_keys': { table: 'gw_same_a' },
    '20260104000000_Zebra': { table: 'gw_same_c' },
  });
  // Code-unit order: upper case before lower case (localeCompare would put Zebra last).
  assert.deepEqual(await migrateToLatest(db, dir), [
    '20260104000000_Zebra',
    '20260104000000_idempotency_keys',
    '20260104000000_tasks',
  ]);
  for (let step = await rollbackOne(db, dir); step.length; step = await rollbackOne(db, dir));
});

test("the project's own migrations apply, roll all the way back, and apply again", async () => {
  const applied = await migrateToLatest(db);
  const reverted: string[] = [];
  for (let step = await rollbackOne(db); step.length; step = await rollbackOne(db)) reverted.push(...step);
  assert.deepEqual(reverted, [...applied].reverse());
  assert.deepEqual(await migrateToLatest(db), applied);
});

test('every migration has a timestamp of its own, but for the two that were applied before the rule', () => {
  const stamps = readdirSync(MIGRATIONS_FOLDER)
    .filter((file) => file.endsWith('.ts'))
    .map((file) => file.slice(0, file.indexOf('_')));
  const shared = stamps.filter((stamp, index) => stamps.indexOf(stamp) !== index);
  // 20261124000300_idempotency_keys and 20261124000300_tasks are applied in the field: never rename them.
  assert.deepEqual(shared, ['20261124000300']);
});

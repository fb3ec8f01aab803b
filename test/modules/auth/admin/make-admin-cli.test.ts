import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { promisify } from 'node:util';
import { buildApp } from '../../../../src/app.ts';
import { loadConfig } from '../../../../src/config.ts';
import { createDatabase } from '../../../../src/db/database.ts';
import { register } from '../support.ts';

/**
 * `npm run auth:make-admin` against the embedded PGlite that a running server holds: it must refuse
 * (exit 1, saying why) rather than change a copy of the database that the server then loses.
 */

const run = promisify(execFile);
const node = new URL('../../../../node_modules/.bin/node', import.meta.url).pathname;
const cli = new URL('../../../../src/modules/auth/admin/make-admin-cli.ts', import.meta.url).pathname;

const dataDir = mkdtempSync(join(tmpdir(), 'gw-make-admin-'));
after(() => rmSync(dataDir, { recursive: true, force: true }));
// Only what selects the embedded database in that folder: no DATABASE_URL from this environment.
const env = { PATH: process.env.PATH ?? '', NODE_ENV: 'test', PGLITE_DATA_DIR: dataDir };
/** The CLI's outcome: `code` is undefined for exit 0. */
const makeAdmin = (email: string): Promise<{ code?: number; stdout: string; stderr: string }> =>
  run(node, [cli, email], { env }).catch((error: { code: number; stdout: string; stderr: string }) => error);

async function roleOf(email: string): Promise<string> {
  const db = createDatabase({ kind: 'pglite', dataDir });
  try {
    const row = await db.selectFrom('users').select('role').where('email', '=', email).executeTakeFirstOrThrow();
    return row.role;
  } finally {
    await db.destroy();
  }
}

test('while the server holds the embedded database the CLI refuses and changes nothing; once it stops, it works', async () => {
  const server = await buildApp(loadConfig({ ...env, MAX_EVENT_LOOP_DELAY_MS: '0' }));
  await server.ready();
  const account = await register(server);

  const refused = await makeAdmin(account.email);
  assert.equal(refused.code, 1);
  assert.equal(refused.stdout, '');
  assert.match(refused.stderr, new RegExp(`in use by process ${process.pid} \\(the server\\?\\)`));
  const seen = await server.db
    .selectFrom('users')
    .select('role')
    .where('id', '=', account.id)
    .executeTakeFirstOrThrow();
  assert.equal(seen.role, 'user');

  await server.close();
  const done = await makeAdmin(account.email);
  assert.match(done.stdout, /is now an admin/);
  assert.equal(await roleOf(account.email), 'admin');
});

test('a lock left by a process that is gone (a crash) is taken over', async () => {
  const gone = spawnSync(node, ['-e', 'process.pid']).pid;
  assert.ok(gone);
  writeFileSync(join(dataDir, 'groundwork.pid'), `${gone}\n`);
  const res = await makeAdmin('nobody@example.com');
  assert.equal(res.code, 1);
  assert.match(res.stderr, /No account has the email nobody@example.com/);
});

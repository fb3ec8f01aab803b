import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { authenticate } from '../../src/modules/auth/index.ts';
import { buildTestApp } from '../helpers/app.ts';
import { assertProblem } from '../helpers/problem.ts';
import { as, createUser } from '../helpers/users.ts';

// Crash-safety as seen from outside: the effect and its recorded result share one transaction.
// (The kill -9 version of these runs in test/chaos/.)
let failNextRecord = false;
const trapErrors: string[] = [];
const app = await buildTestApp(
  {},
  {
    // Stands in for the process dying between the effect and the record: the record's statement fails.
    register: (app) => {
      // The mistake the plugin must catch: an idempotent route whose handler uses app.db.
      app.post(
        '/api/test/idempotent-trap',
        { onRequest: authenticate, config: { idempotent: true }, schema: { hide: true } },
        async (_request, reply) => {
          await sql`select 1`.execute(app.db);
          return reply.code(201).send({ ok: true });
        },
      );
      app.addHook('onError', async (_request, _reply, error) => {
        trapErrors.push(error.message);
      });
      app.addHook('onRequest', async () => {
        if (!failNextRecord) return;
        failNextRecord = false;
        await sql`create or replace function gw_test_fail() returns trigger language plpgsql as $$
          begin raise exception 'record refused'; end $$`.execute(app.db);
        await sql`create trigger gw_test_fail before update on idempotency_keys for each row execute function gw_test_fail()`.execute(
          app.db,
        );
      });
    },
  },
);

const countProjects = async (userId: string, name: string) =>
  (
    await sql<{ n: number }>`select count(*)::int as n from projects p join project_members m on m.project_id = p.id
      where m.user_id = ${userId} and p.name = ${name}`.execute(app.db)
  ).rows[0]?.n;

test('when the result cannot be recorded, the effect is rolled back too, and a retry performs it once', async () => {
  const user = await createUser(app);
  const call = as(app, user);
  const key = { 'idempotency-key': 'record-fails' };
  failNextRecord = true;
  const failed = await call('POST', '/api/projects', { name: 'Atomic' }, key);
  assert.equal(failed.statusCode, 500);
  await sql`drop trigger gw_test_fail on idempotency_keys`.execute(app.db);
  assert.equal(await countProjects(user.id, 'Atomic'), 0);

  const retried = await call('POST', '/api/projects', { name: 'Atomic' }, key);
  assert.equal(retried.statusCode, 201);
  const replayed = await call('POST', '/api/projects', { name: 'Atomic' }, key);
  assert.equal(replayed.statusCode, 201);
  assert.equal(replayed.headers['idempotent-replayed'], 'true');
  assert.deepEqual(replayed.json(), retried.json());
  assert.equal(await countProjects(user.id, 'Atomic'), 1);
});

test('a claim a dead process left without a result is taken over once it is 60 s old, not before', async () => {
  const user = await createUser(app);
  const call = as(app, user);
  // What the earlier design left after a crash: the claim, committed on its own, with no result.
  const leave = async (key: string, name: string, age: string) => {
    const first = await call('POST', '/api/projects', { name }, { 'idempotency-key': key });
    await sql`delete from projects where id = ${first.json().id}`.execute(app.db);
    await sql`update idempotency_keys set status_code = null, response_body = null, locked_at = now() - ${age}::interval
      where user_id = ${user.id} and key = ${key}`.execute(app.db);
  };
  await leave('fresh', 'Fresh', '10 seconds');
  assertProblem(
    await call('POST', '/api/projects', { name: 'Fresh' }, { 'idempotency-key': 'fresh' }),
    409,
    'IDEMPOTENCY_REQUEST_IN_PROGRESS',
  );
  // Microseconds and all: the age is compared in the database, never on a value round-tripped through JS.
  await leave('stale', 'Stale', '60.5 seconds');
  const taken = await call('POST', '/api/projects', { name: 'Stale' }, { 'idempotency-key': 'stale' });
  assert.equal(taken.statusCode, 201);
  assert.equal(taken.headers['idempotent-replayed'], undefined);
  assert.equal(await countProjects(user.id, 'Stale'), 1);
});

test('a concurrent duplicate waits for the first and replays its result', async () => {
  const user = await createUser(app);
  const call = as(app, user);
  const key = { 'idempotency-key': 'together' };
  const answers = await Promise.all([1, 2, 3].map(() => call('POST', '/api/projects', { name: 'Together' }, key)));
  assert.deepEqual(
    answers.map((res) => res.statusCode),
    [201, 201, 201],
  );
  assert.equal(new Set(answers.map((res) => res.json().id)).size, 1);
  assert.equal(answers.filter((res) => res.headers['idempotent-replayed'] === 'true').length, 2);
  assert.equal(await countProjects(user.id, 'Together'), 1);
});

test('an idempotent handler that queries app.db instead of requestDb fails at once, naming the fix', async (t) => {
  const call = as(app, await createUser(app));
  // Without a key there is no claim, and app.db is as good as any handle.
  assert.equal((await call('POST', '/api/test/idempotent-trap', {})).statusCode, 201);
  // With one, the claim holds a transaction (on PGlite, the only connection): the query must fail
  // fast instead of waiting forever, and the key is released.
  const started = Date.now();
  const trapped = await call('POST', '/api/test/idempotent-trap', {}, { 'idempotency-key': 'trap' });
  assert.equal(trapped.statusCode, 500);
  assert.ok(Date.now() - started < 5000, `took ${Date.now() - started} ms`);
  assert.match(trapErrors.at(-1) ?? '', /POST \/api\/test\/idempotent-trap .*requestDb\(request, app\.db\)/);
  t.diagnostic(`refused after ${Date.now() - started} ms`);
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from idempotency_keys where key = 'trap'`.execute(
    app.db,
  );
  assert.equal(rows[0]?.n, 0);
});

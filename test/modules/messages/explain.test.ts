import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { planOf, seqScansOn } from '../../../src/db/query-plans.ts';
import {
  conversationsOf,
  memberRolesQuery,
  unreadCountsQuery,
} from '../../../src/modules/messages/conversation-repository.ts';
import { historyQuery } from '../../../src/modules/messages/message-repository.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { createUser } from './helpers.ts';

/**
 * The messaging reads are index-backed: on seeded, analysed tables, no plan of the exact queries
 * the routes run reads conversations, members or messages with a sequential scan.
 */

const app: FastifyInstance = await buildTestApp();
// Shaped like a real deployment: many conversations, each person in a few of them.
const CONVERSATIONS = 10_000;
const MINE_EVERY = 250;
const MESSAGES_EACH = 5;
const MESSAGES_IN_MINE = 200;

test('conversation list, unread counts, history and audiences use indexes (EXPLAIN on seeded tables)', async () => {
  const [me, other] = [await createUser(app, 'explainer'), await createUser(app, 'seeder')];
  const db = app.db;
  await sql`
    insert into conversations (kind, title, created_by, last_seq, last_activity_at)
    select 'group', 'Group ' || g, ${other.id}::uuid, ${MESSAGES_EACH}, now() - g * interval '1 minute'
    from generate_series(1, ${CONVERSATIONS}) g`.execute(db);
  await sql`insert into conversation_members (conversation_id, user_id, role) select id, ${other.id}::uuid, 'admin' from conversations`.execute(
    db,
  );
  // I am in one conversation in MINE_EVERY, and those are the busy ones.
  await sql`
    insert into conversation_members (conversation_id, user_id, role, last_read_seq)
    select id, ${me.id}::uuid, 'member', 50 from (select id, row_number() over (order by id) n from conversations) c
    where n % ${MINE_EVERY} = 0`.execute(db);
  await sql`
    update conversations set last_seq = ${MESSAGES_IN_MINE}
    where id in (select conversation_id from conversation_members where user_id = ${me.id}::uuid)`.execute(db);
  await sql`
    insert into messages (conversation_id, seq, author_id, body, deleted_at)
    select c.id, s, ${other.id}::uuid, 'Message ' || s, case when s % 13 = 0 then now() end
    from conversations c, generate_series(1, c.last_seq) s`.execute(db);
  await sql`analyze`.execute(db);

  const [mine] = (
    await sql<{
      id: string;
    }>`select conversation_id as id from conversation_members where user_id = ${me.id}::uuid limit 1`.execute(db)
  ).rows;
  const id = mine?.id as string;
  const queries = {
    'list, first page': conversationsOf(db, me.id)
      .orderBy('c.last_activity_at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(21),
    'list, next page': conversationsOf(db, me.id)
      .where(sql<boolean>`(c.last_activity_at, c.id) < (now(), ${id}::uuid)`)
      .orderBy('c.last_activity_at', 'desc')
      .orderBy('c.id', 'desc')
      .limit(21),
    'unread counts': unreadCountsQuery(db, me.id),
    'history, latest': historyQuery(db, id, { limit: 50 }),
    'history, before': historyQuery(db, id, { before: 60, limit: 50 }),
    'history, after': historyQuery(db, id, { after: 10, limit: 50 }),
    audience: memberRolesQuery(db, id),
  };
  const failures: string[] = [];
  for (const [name, query] of Object.entries(queries)) {
    const plan = await planOf(query);
    const scans = seqScansOn(plan, ['conversations', 'conversation_members', 'messages']);
    if (scans.length) failures.push(`${name}: ${scans.join(', ')}`);
  }
  assert.deepEqual(failures, []);
});

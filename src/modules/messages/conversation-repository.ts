import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import type { ConversationKind, MemberRole } from './tables.ts';

/**
 * SQL for conversations and their members. Every read a user makes joins their own membership
 * row, so a conversation they are not in does not exist for them.
 */

/**
 * My conversations with everything the list shows, in one statement: my role and read position,
 * the member count, the other person of a direct conversation, the last message and the unread
 * count (an index range scan of messages_unread_idx per conversation).
 */
export function conversationsOf(db: Db, userId: string) {
  return db
    .selectFrom('conversation_members as m')
    .innerJoin('conversations as c', 'c.id', 'm.conversation_id')
    .leftJoin('messages as lm', (join) =>
      join.onRef('lm.conversation_id', '=', 'c.id').onRef('lm.seq', '=', 'c.last_seq'),
    )
    .select([
      'c.id',
      'c.kind',
      'c.title',
      'c.last_seq',
      'c.last_activity_at',
      'c.created_at',
      'c.updated_at',
      'm.role',
      'm.last_read_seq',
      'lm.seq as lm_seq',
      'lm.author_id as lm_author_id',
      'lm.body as lm_body',
      'lm.reply_to_seq as lm_reply_to_seq',
      'lm.edited_at as lm_edited_at',
      'lm.deleted_at as lm_deleted_at',
      'lm.created_at as lm_created_at',
    ])
    .select((eb) => [
      eb
        .selectFrom('messages as u')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('u.conversation_id', '=', 'c.id')
        .whereRef('u.seq', '>', 'm.last_read_seq')
        .where('u.deleted_at', 'is', null)
        .where(sql<boolean>`u.author_id is distinct from m.user_id`)
        .as('unread_count'),
      eb
        .selectFrom('conversation_members as cm')
        .select(eb.fn.countAll<number>().as('n'))
        .whereRef('cm.conversation_id', '=', 'c.id')
        .as('member_count'),
      eb
        .selectFrom('conversation_members as o')
        .innerJoin('user_profiles as p', 'p.id', 'o.user_id')
        .select(
          sql<{
            userId: string;
            username: string;
            image: string | null;
          }>`json_build_object('userId', p.id, 'username', p.username, 'image', p.image)`.as('peer'),
        )
        .whereRef('o.conversation_id', '=', 'c.id')
        .whereRef('o.user_id', '<>', 'm.user_id')
        .where('c.kind', '=', 'direct')
        .limit(1)
        .as('peer'),
    ])
    .where('m.user_id', '=', userId);
}

export type ConversationRow = NonNullable<Awaited<ReturnType<typeof findConversation>>>;

export function findConversation(db: Db, userId: string, conversationId: string) {
  return conversationsOf(db, userId).where('c.id', '=', conversationId).executeTakeFirst();
}

/** A page of my conversations, most recently active first, keyset on (last_activity_at, id). */
export function listConversations(
  db: Db,
  userId: string,
  options: { limit: number; after?: { activityAt: string; id: string } | undefined },
) {
  let query = conversationsOf(db, userId);
  if (options.after) {
    const { activityAt, id } = options.after;
    query = query.where(sql<boolean>`(c.last_activity_at, c.id) < (${activityAt}::timestamptz, ${id}::uuid)`);
  }
  return query.orderBy('c.last_activity_at', 'desc').orderBy('c.id', 'desc').limit(options.limit).execute();
}

/**
 * Locks the conversation row, if `userId` is a member, for the rest of the transaction: every
 * change to a conversation's messages or members goes through this lock, so they happen one at a
 * time and in the same order as their sequence numbers and events.
 */
export function lockConversation(trx: Trx, userId: string, conversationId: string) {
  return trx
    .selectFrom('conversations as c')
    .innerJoin('conversation_members as m', (join) =>
      join.onRef('m.conversation_id', '=', 'c.id').on('m.user_id', '=', userId),
    )
    .select(['c.id', 'c.kind', 'c.last_seq'])
    .where('c.id', '=', conversationId)
    .forNoKeyUpdate('c')
    .executeTakeFirst();
}

/** Everyone in the conversation with their role, oldest member first (read after the lock: current). */
export function memberRoles(db: Db, conversationId: string) {
  return memberRolesQuery(db, conversationId).execute();
}

export function memberRolesQuery(db: Db, conversationId: string) {
  return db
    .selectFrom('conversation_members')
    .select(['user_id', 'role'])
    .where('conversation_id', '=', conversationId)
    .orderBy('joined_at')
    .orderBy('user_id');
}

export function listMembers(db: Db, conversationId: string) {
  return db
    .selectFrom('conversation_members as m')
    .innerJoin('user_profiles as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'u.username', 'u.image', 'm.role', 'm.last_read_seq', 'm.joined_at'])
    .where('m.conversation_id', '=', conversationId)
    .orderBy('m.joined_at')
    .orderBy('m.user_id')
    .execute();
}

export type MemberRow = Awaited<ReturnType<typeof listMembers>>[number];

/** Whether the user is a member of any of these conversations (the primary key, one probe each). */
export async function isMemberOfAny(db: Db, userId: string, conversationIds: readonly string[]): Promise<boolean> {
  if (!conversationIds.length) return false;
  const row = await db
    .selectFrom('conversation_members')
    .select('conversation_id')
    .where('conversation_id', 'in', conversationIds)
    .where('user_id', '=', userId)
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

export function findMember(db: Db, conversationId: string, userId: string) {
  return db
    .selectFrom('conversation_members as m')
    .innerJoin('user_profiles as u', 'u.id', 'm.user_id')
    .select(['m.user_id', 'u.username', 'u.image', 'm.role', 'm.last_read_seq', 'm.joined_at'])
    .where('m.conversation_id', '=', conversationId)
    .where('m.user_id', '=', userId)
    .executeTakeFirst();
}

/** Which of `userIds` have accounts (through auth's public profile view). */
export async function existingUsers(db: Db, userIds: readonly string[]): Promise<Set<string>> {
  if (userIds.length === 0) return new Set();
  const rows = await db.selectFrom('user_profiles').select('id').where('id', 'in', userIds).execute();
  return new Set(rows.map((row) => row.id));
}

export function findDirect(db: Db, directKey: string) {
  return db.selectFrom('conversations').select('id').where('direct_key', '=', directKey).executeTakeFirst();
}

export async function insertConversation(
  trx: Trx,
  values: { kind: ConversationKind; title: string | null; direct_key: string | null; created_by: string },
  members: ReadonlyArray<{ userId: string; role: MemberRole }>,
): Promise<string> {
  const { id } = await trx.insertInto('conversations').values(values).returning('id').executeTakeFirstOrThrow();
  await trx
    .insertInto('conversation_members')
    .values(members.map((m) => ({ conversation_id: id, user_id: m.userId, role: m.role })))
    .execute();
  return id;
}

export async function updateConversation(trx: Trx, conversationId: string, values: { title?: string }) {
  await trx
    .updateTable('conversations')
    .set({ ...values, updated_at: sql`now()`, last_activity_at: sql`now()` })
    .where('id', '=', conversationId)
    .execute();
}

export async function deleteConversation(trx: Trx, conversationId: string) {
  await trx.deleteFrom('conversations').where('id', '=', conversationId).execute();
}

export async function insertMember(trx: Trx, conversationId: string, userId: string, role: MemberRole) {
  await trx
    .insertInto('conversation_members')
    .values({ conversation_id: conversationId, user_id: userId, role })
    .execute();
}

export async function updateMemberRole(trx: Trx, conversationId: string, userId: string, role: MemberRole) {
  await trx
    .updateTable('conversation_members')
    .set({ role })
    .where('conversation_id', '=', conversationId)
    .where('user_id', '=', userId)
    .execute();
}

export async function deleteMember(trx: Trx, conversationId: string, userId: string) {
  await trx
    .deleteFrom('conversation_members')
    .where('conversation_id', '=', conversationId)
    .where('user_id', '=', userId)
    .execute();
}

/** Moves my read position forward (never back); the new position, or undefined when not a member. */
export function advanceRead(db: Db, conversationId: string, userId: string, seq: number) {
  return db
    .updateTable('conversation_members')
    .set({ last_read_seq: sql`greatest(last_read_seq, ${seq})` })
    .where('conversation_id', '=', conversationId)
    .where('user_id', '=', userId)
    .returning('last_read_seq')
    .executeTakeFirst();
}

/** Unread counts of all my conversations that have any: one statement, index-only on both sides. */
export function unreadCounts(db: Db, userId: string) {
  return unreadCountsQuery(db, userId).execute();
}

export function unreadCountsQuery(db: Db, userId: string) {
  return db
    .selectFrom('conversation_members as m')
    .innerJoin('messages as u', (join) =>
      join
        .onRef('u.conversation_id', '=', 'm.conversation_id')
        .onRef('u.seq', '>', 'm.last_read_seq')
        .on('u.deleted_at', 'is', null)
        .on(sql<boolean>`u.author_id is distinct from m.user_id`),
    )
    .select(['m.conversation_id', (eb) => eb.fn.countAll<number>().as('unread_count')])
    .where('m.user_id', '=', userId)
    .groupBy('m.conversation_id');
}

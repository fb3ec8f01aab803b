import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';

/** SQL for messages. Callers have checked membership; conversation ids here are already allowed. */

const columns = [
  'conversation_id',
  'seq',
  'author_id',
  'body',
  'reply_to_seq',
  'edited_at',
  'deleted_at',
  'created_at',
] as const;

export type MessageRow = NonNullable<Awaited<ReturnType<typeof findMessage>>>;

/**
 * The next sequence number of the conversation. Runs under the conversation row lock taken by
 * lockConversation, so concurrent posts queue here and each gets the next number: no gaps, no
 * duplicates, and numbers in commit order.
 */
export async function nextSeq(trx: Trx, conversationId: string): Promise<number> {
  const row = await trx
    .updateTable('conversations')
    .set({ last_seq: sql`last_seq + 1`, last_activity_at: sql`now()` })
    .where('id', '=', conversationId)
    .returning('last_seq')
    .executeTakeFirstOrThrow();
  return row.last_seq;
}

export function insertMessage(
  trx: Trx,
  values: { conversation_id: string; seq: number; author_id: string; body: string; reply_to_seq: number | null },
) {
  return trx.insertInto('messages').values(values).returning(columns).executeTakeFirstOrThrow();
}

function messageAt(db: Db, conversationId: string, seq: number) {
  return db.selectFrom('messages').select(columns).where('conversation_id', '=', conversationId).where('seq', '=', seq);
}

export function findMessage(db: Db, conversationId: string, seq: number) {
  return messageAt(db, conversationId, seq).executeTakeFirst();
}

export function lockMessage(trx: Trx, conversationId: string, seq: number) {
  return messageAt(trx, conversationId, seq).forUpdate().executeTakeFirst();
}

export function editMessage(trx: Trx, conversationId: string, seq: number, body: string) {
  return trx
    .updateTable('messages')
    .set({ body, edited_at: sql`now()` })
    .where('conversation_id', '=', conversationId)
    .where('seq', '=', seq)
    .returning(columns)
    .executeTakeFirstOrThrow();
}

/** Deletion keeps the row (its place in the sequence, replies pointing at it) and drops the text. */
export function tombstoneMessage(trx: Trx, conversationId: string, seq: number) {
  return trx
    .updateTable('messages')
    .set({ body: '', deleted_at: sql`now()` })
    .where('conversation_id', '=', conversationId)
    .where('seq', '=', seq)
    .returning(columns)
    .executeTakeFirstOrThrow();
}

/**
 * One page of history, keyset on the sequence: before `before` newest first, after `after` oldest
 * first, or the latest. Reads `limit + 1` rows; the extra one only says there is more.
 */
export function history(
  db: Db,
  conversationId: string,
  page: { before?: number | undefined; after?: number | undefined; limit: number },
) {
  return historyQuery(db, conversationId, page).execute();
}

export function historyQuery(
  db: Db,
  conversationId: string,
  page: { before?: number | undefined; after?: number | undefined; limit: number },
) {
  let query = db.selectFrom('messages').select(columns).where('conversation_id', '=', conversationId);
  if (page.after !== undefined) {
    query = query.where('seq', '>', page.after).orderBy('seq', 'asc');
  } else {
    if (page.before !== undefined) query = query.where('seq', '<', page.before);
    query = query.orderBy('seq', 'desc');
  }
  return query.limit(page.limit + 1);
}

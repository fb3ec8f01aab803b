import { unprocessable } from '../../core/errors.ts';
import type { Db } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { cursorScope, decodeCursor, toPage } from '../../lib/cursor.ts';
import {
  audienceOf,
  conversationTopic,
  lockAsMember,
  type MessagingContext,
  requireAdmin,
  userTopic,
  write,
} from './access.ts';
import { eitherBlocked } from './block-repository.ts';
import * as repo from './conversation-repository.ts';
import { blocked, conversationNotFound, selfConversation, userNotFound } from './errors.ts';
import { toConversation } from './mappers.ts';
import { attachmentsOf } from './message-attachments.ts';
import type { CreateConversationBody } from './schemas.ts';

/** Rules for conversations: creating them, listing them, titles, and read state. */

export async function getConversation(db: Db, userId: string, conversationId: string) {
  const row = await repo.findConversation(db, userId, conversationId);
  if (!row) throw conversationNotFound();
  return (await withLastFiles(db, [row]))[0] as ReturnType<typeof toConversation>;
}

/** Conversations with their last messages' files: one query for the whole page. */
async function withLastFiles(db: Db, rows: repo.ConversationRow[]) {
  const last = rows.flatMap((row) =>
    row.lm_seq === null ? [] : [{ conversation_id: row.id, seq: row.lm_seq, deleted_at: row.lm_deleted_at }],
  );
  const filesOf = await attachmentsOf(db, last);
  return rows.map((row) =>
    toConversation(row, row.lm_seq === null ? [] : filesOf({ conversation_id: row.id, seq: row.lm_seq })),
  );
}

export async function listConversations(db: Db, userId: string, query: { limit: number; cursor?: string | undefined }) {
  const scope = cursorScope({ list: 'conversations' });
  let after: { activityAt: string; id: string } | undefined;
  if (query.cursor) {
    const [activityAt, id] = decodeCursor(query.cursor, scope, ['timestamp', 'uuid']) as [string, string];
    after = { activityAt, id };
  }
  const rows = await repo.listConversations(db, userId, { limit: query.limit + 1, after });
  const page = toPage(rows, query.limit, scope, (row) => [row.last_activity_at.toISOString(), row.id]);
  return { items: await withLastFiles(db, page.rows), nextCursor: page.nextCursor };
}

/** The key that makes a direct conversation unique per pair, whichever of the two starts it. */
const directKey = (a: string, b: string) => (a < b ? `${a}:${b}` : `${b}:${a}`);

/**
 * Creates a group, or finds-or-creates the one direct conversation between two people. `created`
 * tells the route whether to answer 201 or 200.
 */
export async function createConversation(
  ctx: MessagingContext,
  userId: string,
  body: CreateConversationBody,
): Promise<{ conversation: ReturnType<typeof toConversation>; created: boolean }> {
  if (body.kind === 'direct') {
    if (body.userId === undefined)
      throw unprocessable([{ field: 'body.userId', message: 'a direct conversation needs userId' }]);
    const extra = body.title !== undefined ? 'title' : body.memberIds !== undefined ? 'memberIds' : undefined;
    if (extra) throw unprocessable([{ field: `body.${extra}`, message: 'only a group has this' }]);
    return createDirect(ctx, userId, body.userId);
  }
  if (body.title === undefined) throw unprocessable([{ field: 'body.title', message: 'a group needs a title' }]);
  if (body.userId !== undefined) throw unprocessable([{ field: 'body.userId', message: 'a group takes memberIds' }]);
  const title = body.title;
  const others = (body.memberIds ?? []).filter((id) => id !== userId);
  const known = await repo.existingUsers(ctx.db, others);
  const unknown = others.findIndex((id) => !known.has(id));
  if (unknown !== -1) throw userNotFound(`body.memberIds.${unknown}`);
  const members = [
    { userId, role: 'admin' as const },
    ...others.map((id) => ({ userId: id, role: 'member' as const })),
  ];
  const id = await write(ctx, async (trx, emit) => {
    const id = await repo.insertConversation(
      trx,
      { kind: 'group', title, direct_key: null, created_by: userId },
      members,
    );
    for (const member of members) {
      await emit(userTopic(member.userId), {
        type: 'conversation.created',
        data: { conversationId: id, kind: 'group', title },
        audience: [member.userId],
      });
    }
    return id;
  });
  return { conversation: await getConversation(ctx.db, userId, id), created: true };
}

async function createDirect(ctx: MessagingContext, userId: string, peerId: string) {
  if (peerId === userId) throw selfConversation();
  if (!(await repo.existingUsers(ctx.db, [peerId])).has(peerId)) throw userNotFound('body.userId');
  const key = directKey(userId, peerId);
  const existing = await repo.findDirect(ctx.db, key);
  // An existing conversation is found even across a block: its history stays readable.
  if (existing) return { conversation: await getConversation(ctx.db, userId, existing.id), created: false };
  if (await eitherBlocked(ctx.db, userId, peerId)) throw blocked();
  try {
    const id = await write(ctx, async (trx, emit) => {
      const id = await repo.insertConversation(
        trx,
        { kind: 'direct', title: null, direct_key: key, created_by: userId },
        [
          { userId, role: 'member' },
          { userId: peerId, role: 'member' },
        ],
      );
      for (const member of [userId, peerId]) {
        await emit(userTopic(member), {
          type: 'conversation.created',
          data: { conversationId: id, kind: 'direct', title: null },
          audience: [member],
        });
      }
      return id;
    });
    return { conversation: await getConversation(ctx.db, userId, id), created: true };
  } catch (error) {
    // The other person started it at the same moment: the unique key kept it to one, theirs.
    if (!isUniqueViolation(error)) throw error;
    const raced = await repo.findDirect(ctx.db, key);
    if (!raced) throw error;
    return { conversation: await getConversation(ctx.db, userId, raced.id), created: false };
  }
}

export async function renameConversation(ctx: MessagingContext, userId: string, conversationId: string, title: string) {
  await write(ctx, async (trx, emit) => {
    const conversation = await lockAsMember(trx, userId, conversationId);
    if (conversation.kind !== 'group')
      throw unprocessable([{ field: 'body.title', message: 'only a group has a title' }]);
    requireAdmin(conversation, 'rename the group');
    await repo.updateConversation(trx, conversationId, { title });
    await emit(conversationTopic(conversationId), {
      type: 'conversation.updated',
      data: { conversationId, title },
      audience: audienceOf(conversation.members),
    });
  });
  return getConversation(ctx.db, userId, conversationId);
}

export async function unreadCounts(db: Db, userId: string) {
  const rows = await repo.unreadCounts(db, userId);
  const items = rows.map((row) => ({ conversationId: row.conversation_id, unreadCount: Number(row.unread_count) }));
  return { total: items.reduce((sum, item) => sum + item.unreadCount, 0), items };
}

/** Moves my read position forward (never back) and tells the other members (read receipts). */
export async function markRead(ctx: MessagingContext, userId: string, conversationId: string, seq: number) {
  const current = await repo.findConversation(ctx.db, userId, conversationId);
  if (!current) throw conversationNotFound();
  if (seq > current.last_seq) {
    throw unprocessable([{ field: 'body.seq', message: `is past the latest message (${current.last_seq})` }]);
  }
  if (seq > current.last_read_seq) {
    await write(ctx, async (trx, emit) => {
      const advanced = await repo.advanceRead(trx, conversationId, userId, seq);
      if (!advanced) throw conversationNotFound();
      const members = await repo.memberRoles(trx, conversationId);
      await emit(conversationTopic(conversationId), {
        type: 'conversation.read',
        data: { conversationId, userId, lastReadSeq: advanced.last_read_seq },
        audience: audienceOf(members),
      });
    });
  }
  const after = await getConversation(ctx.db, userId, conversationId);
  return { conversationId, lastReadSeq: after.lastReadSeq, unreadCount: after.unreadCount };
}

import { unprocessable } from '../../core/errors.ts';
import type { Db } from '../../db/database.ts';
import { audienceOf, conversationTopic, lockAsMember, type MessagingContext, write } from './access.ts';
import { eitherBlocked } from './block-repository.ts';
import { advanceRead, findMember } from './conversation-repository.ts';
import { authorOnly, blocked, conversationNotFound, messageDeleted, messageNotFound } from './errors.ts';
import { toMessage } from './mappers.ts';
import { attachmentsOf, attachToMessage, detachFromMessage } from './message-attachments.ts';
import * as repo from './message-repository.ts';

/** Rules for messages: posting, history, editing and deleting. */

export async function postMessage(
  ctx: MessagingContext,
  userId: string,
  conversationId: string,
  input: { body: string; replyToSeq?: number | undefined; fileIds?: string[] | undefined },
) {
  return write(ctx, async (trx, emit) => {
    const conversation = await lockAsMember(trx, userId, conversationId);
    if (conversation.kind === 'direct') {
      const peer = conversation.members.find((member) => member.user_id !== userId);
      if (peer && (await eitherBlocked(trx, userId, peer.user_id))) throw blocked();
    }
    // Sequences have no gaps and messages are never removed (deletion leaves a tombstone), so any
    // number up to the latest names a message of this conversation.
    if (input.replyToSeq !== undefined && input.replyToSeq > conversation.lastSeq) {
      throw unprocessable([{ field: 'body.replyToSeq', message: 'no message of this conversation has this sequence' }]);
    }
    const seq = await repo.nextSeq(trx, conversationId);
    const row = await repo.insertMessage(trx, {
      conversation_id: conversationId,
      seq,
      author_id: userId,
      body: input.body,
      reply_to_seq: input.replyToSeq ?? null,
    });
    await attachToMessage(trx, userId, { conversationId, seq }, input.fileIds ?? []);
    // What I write, I have read.
    await advanceRead(trx, conversationId, userId, seq);
    const message = toMessage(row, (await attachmentsOf(trx, [row]))(row));
    await emit(conversationTopic(conversationId), {
      type: 'message.created',
      data: { message },
      audience: audienceOf(conversation.members),
    });
    return message;
  });
}

export async function history(
  db: Db,
  userId: string,
  conversationId: string,
  page: { before?: number | undefined; after?: number | undefined; limit: number },
) {
  if (page.before !== undefined && page.after !== undefined) {
    throw unprocessable([{ field: 'query.after', message: 'give before or after, not both' }]);
  }
  if (!(await findMember(db, conversationId, userId))) throw conversationNotFound();
  const rows = await repo.history(db, conversationId, page);
  const items = rows.slice(0, page.limit);
  // One query for the whole page's files, however many messages carry some.
  const filesOf = await attachmentsOf(db, items);
  return { items: items.map((row) => toMessage(row, filesOf(row))), hasMore: rows.length > page.limit };
}

async function changeOwnMessage(
  ctx: MessagingContext,
  userId: string,
  conversationId: string,
  seq: number,
  change: 'edit' | 'delete',
  body?: string,
) {
  return write(ctx, async (trx, emit) => {
    const conversation = await lockAsMember(trx, userId, conversationId);
    const current = await repo.lockMessage(trx, conversationId, seq);
    if (!current) throw messageNotFound();
    if (current.author_id !== userId) throw authorOnly(change === 'edit' ? 'edit a message' : 'delete a message');
    if (current.deleted_at !== null) throw messageDeleted();
    let row: repo.MessageRow;
    if (change === 'edit') row = await repo.editMessage(trx, conversationId, seq, body as string);
    else {
      row = await repo.tombstoneMessage(trx, conversationId, seq);
      // Its files go back to being the owner's alone (and can be deleted, or expire unattached).
      await detachFromMessage(trx, { conversationId, seq });
    }
    const message = toMessage(row, (await attachmentsOf(trx, [row]))(row));
    await emit(conversationTopic(conversationId), {
      type: change === 'edit' ? 'message.updated' : 'message.deleted',
      data: { message },
      audience: audienceOf(conversation.members),
    });
    return message;
  });
}

export const editMessage = (ctx: MessagingContext, userId: string, conversationId: string, seq: number, body: string) =>
  changeOwnMessage(ctx, userId, conversationId, seq, 'edit', body);

export const deleteMessage = (ctx: MessagingContext, userId: string, conversationId: string, seq: number) =>
  changeOwnMessage(ctx, userId, conversationId, seq, 'delete');

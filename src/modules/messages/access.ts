import type { Emit, Realtime } from '../../core/realtime/plugin.ts';
import type { Db, Trx } from '../../db/database.ts';
import { lockConversation, memberRoles } from './conversation-repository.ts';
import { adminOnly, conversationNotFound } from './errors.ts';
import type { MemberRole } from './tables.ts';

/**
 * Who may do what in a conversation, and the transaction every write runs in. A user who is not a
 * member gets 404 for everything in a conversation; a member whose role is too low gets 403.
 */

/** What the services need from the app: the database and the realtime API. */
export interface MessagingContext {
  db: Db;
  realtime: Realtime;
}

/** The realtime topic kind of conversations: `conversation:<id>`. */
export const CONVERSATION_TOPICS = 'conversation';
export const conversationTopic = (conversationId: string) => `${CONVERSATION_TOPICS}:${conversationId}`;
export const userTopic = (userId: string) => `user:${userId}`;

/** Runs a write in one transaction whose events are published when it commits (409 on a conflict). */
export function write<T>(ctx: MessagingContext, work: (trx: Trx, emit: Emit) => Promise<T>): Promise<T> {
  return ctx.realtime.withEvents(ctx.db, work);
}

export interface LockedConversation {
  id: string;
  kind: 'direct' | 'group';
  lastSeq: number;
  /** Members as of now (read under the lock), oldest first. */
  members: Array<{ user_id: string; role: MemberRole }>;
  role: MemberRole;
}

/**
 * Locks a conversation the caller is a member of, and reads its members under the lock. The
 * membership is checked again after the lock is held: a removal that committed while we waited
 * for it is seen, so a removed member can never post into the conversation.
 */
export async function lockAsMember(trx: Trx, userId: string, conversationId: string): Promise<LockedConversation> {
  const conversation = await lockConversation(trx, userId, conversationId);
  if (!conversation) throw conversationNotFound();
  const members = await memberRoles(trx, conversationId);
  const me = members.find((member) => member.user_id === userId);
  if (!me) throw conversationNotFound();
  return { id: conversation.id, kind: conversation.kind, lastSeq: conversation.last_seq, members, role: me.role };
}

export function requireAdmin(conversation: LockedConversation, what: string): void {
  if (conversation.role !== 'admin') throw adminOnly(what);
}

export const audienceOf = (members: ReadonlyArray<{ user_id: string }>) => members.map((member) => member.user_id);

import type { Db } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { found } from '../../db/transactions.ts';
import {
  audienceOf,
  conversationTopic,
  lockAsMember,
  type MessagingContext,
  requireAdmin,
  userTopic,
  write,
} from './access.ts';
import * as repo from './conversation-repository.ts';
import {
  conversationNotFound,
  groupFull,
  lastAdmin,
  memberExists,
  memberNotFound,
  notAGroup,
  userNotFound,
} from './errors.ts';
import { toMember } from './mappers.ts';
import { detachFromConversation } from './message-attachments.ts';
import { MAX_GROUP_MEMBERS } from './schemas.ts';
import type { MemberRole } from './tables.ts';

/** Rules for the members of a group: who may add, remove, promote, and what leaving does. */

export async function listMembers(db: Db, userId: string, conversationId: string) {
  if (!(await repo.findMember(db, conversationId, userId))) throw conversationNotFound();
  return { items: (await repo.listMembers(db, conversationId)).map(toMember) };
}

async function memberView(db: Db, conversationId: string, userId: string) {
  return toMember(found(await repo.findMember(db, conversationId, userId)));
}

export async function addMember(
  ctx: MessagingContext,
  userId: string,
  conversationId: string,
  input: { userId: string; role?: MemberRole | undefined },
) {
  try {
    await write(ctx, async (trx, emit) => {
      const conversation = await lockAsMember(trx, userId, conversationId);
      if (conversation.kind !== 'group') throw notAGroup();
      requireAdmin(conversation, 'add members');
      if (conversation.members.some((member) => member.user_id === input.userId)) throw memberExists();
      if (conversation.members.length >= MAX_GROUP_MEMBERS) throw groupFull(MAX_GROUP_MEMBERS);
      if (!(await repo.existingUsers(trx, [input.userId])).has(input.userId)) throw userNotFound('body.userId');
      await repo.insertMember(trx, conversationId, input.userId, input.role ?? 'member');
      await repo.updateConversation(trx, conversationId, {});
      const member = toMember(found(await repo.findMember(trx, conversationId, input.userId)));
      const data = { conversationId, member };
      const audience = [...audienceOf(conversation.members), input.userId];
      await emit(conversationTopic(conversationId), { type: 'conversation.member_added', data, audience });
      await emit(userTopic(input.userId), { type: 'conversation.member_added', data, audience: [input.userId] });
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw memberExists();
    throw error;
  }
  return memberView(ctx.db, conversationId, input.userId);
}

export async function changeRole(
  ctx: MessagingContext,
  userId: string,
  conversationId: string,
  memberId: string,
  role: MemberRole,
) {
  await write(ctx, async (trx, emit) => {
    const conversation = await lockAsMember(trx, userId, conversationId);
    if (conversation.kind !== 'group') throw notAGroup();
    requireAdmin(conversation, 'change roles');
    const target = conversation.members.find((member) => member.user_id === memberId);
    if (!target) throw memberNotFound();
    if (target.role === role) return;
    const admins = conversation.members.filter((member) => member.role === 'admin');
    if (role === 'member' && admins.length === 1) throw lastAdmin();
    await repo.updateMemberRole(trx, conversationId, memberId, role);
    await emit(conversationTopic(conversationId), {
      type: 'conversation.member_updated',
      data: { conversationId, member: toMember(found(await repo.findMember(trx, conversationId, memberId))) },
      audience: audienceOf(conversation.members),
    });
  });
  return memberView(ctx.db, conversationId, memberId);
}

/**
 * An admin removes anyone; anyone may remove themselves (leave). When the last admin goes, the
 * longest-standing member becomes admin; when the last member goes, the group goes with them.
 * The removed member is left out of this event's audience on the conversation's topic (so their
 * subscriptions end with it, on every instance) and told on their own topic instead.
 */
export async function removeMember(ctx: MessagingContext, userId: string, conversationId: string, memberId: string) {
  await write(ctx, async (trx, emit) => {
    const conversation = await lockAsMember(trx, userId, conversationId);
    if (conversation.kind !== 'group') throw notAGroup();
    if (memberId !== userId) requireAdmin(conversation, 'remove other members');
    const target = conversation.members.find((member) => member.user_id === memberId);
    if (!target) throw memberNotFound();
    await repo.deleteMember(trx, conversationId, memberId);
    const remaining = conversation.members.filter((member) => member.user_id !== memberId);
    const removal = { type: 'conversation.member_removed', data: { conversationId, userId: memberId } };
    await emit(userTopic(memberId), { ...removal, audience: [memberId] });
    if (remaining.length === 0) {
      // Its messages go with it: their files go back to being their owners' alone.
      await detachFromConversation(trx, conversationId);
      await repo.deleteConversation(trx, conversationId);
      return;
    }
    await repo.updateConversation(trx, conversationId, {});
    await emit(conversationTopic(conversationId), { ...removal, audience: audienceOf(remaining) });
    const heir = remaining[0];
    if (heir && !remaining.some((member) => member.role === 'admin')) {
      await repo.updateMemberRole(trx, conversationId, heir.user_id, 'admin');
      await emit(conversationTopic(conversationId), {
        type: 'conversation.member_updated',
        data: {
          conversationId,
          member: toMember(found(await repo.findMember(trx, conversationId, heir.user_id))),
        },
        audience: audienceOf(remaining),
      });
    }
  });
}

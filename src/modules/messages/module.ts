import type { FastifyInstance } from 'fastify';
import { authenticate } from '../auth/index.ts';
import { CONVERSATION_TOPICS } from './access.ts';
import { blockRoutes } from './block-routes.ts';
import { memberRoles } from './conversation-repository.ts';
import { conversationRoutes } from './conversation-routes.ts';
import { memberRoutes } from './member-routes.ts';
import { allowMembersToReadAttachments } from './message-attachments.ts';
import { messageRoutes } from './message-routes.ts';

/**
 * Messaging: direct conversations and groups, messages with a gap-free sequence, read state and
 * blocks, delivered live through the realtime layer on the `conversation:<id>` topics.
 */
export async function messagesModule(app: FastifyInstance) {
  // Every route here needs a user: 401 comes before validation.
  app.addHook('onRequest', authenticate);

  // Who may follow a conversation live: its members (checked again on every event's delivery).
  app.realtime.defineTopic(CONVERSATION_TOPICS, {
    async audience(db, userId, conversationId) {
      const members = (await memberRoles(db, conversationId)).map((member) => member.user_id);
      return members.includes(userId) ? members : null;
    },
    clientEvents: ['typing'],
  });

  // A message's files may be read by the conversation's members (through GET /api/files/{id}…).
  allowMembersToReadAttachments();

  await app.register(conversationRoutes);
  await app.register(memberRoutes);
  await app.register(messageRoutes);
  await app.register(blockRoutes);
}

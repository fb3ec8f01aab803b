import type { FastifyInstance } from 'fastify';
import { as, type TestUser } from '../../helpers/users.ts';

/** Test helpers for messaging: conversations and messages through the real routes. */

export { as, createUser, type TestUser } from '../../helpers/users.ts';

export async function createGroup(app: FastifyInstance, admin: TestUser, members: TestUser[] = [], title = 'Group') {
  const res = await as(app, admin)('POST', '/api/conversations', {
    kind: 'group',
    title,
    memberIds: members.map((m) => m.id),
  });
  if (res.statusCode !== 201) throw new Error(`create group failed: ${res.statusCode} ${res.body}`);
  return res.json().id as string;
}

export async function createDirect(app: FastifyInstance, from: TestUser, to: TestUser) {
  const res = await as(app, from)('POST', '/api/conversations', { kind: 'direct', userId: to.id });
  if (res.statusCode !== 201 && res.statusCode !== 200) throw new Error(`create direct failed: ${res.body}`);
  return res.json().id as string;
}

export async function post(app: FastifyInstance, author: TestUser, conversationId: string, body: string) {
  const res = await as(app, author)('POST', `/api/conversations/${conversationId}/messages`, { body });
  if (res.statusCode !== 201) throw new Error(`post failed: ${res.statusCode} ${res.body}`);
  return res.json() as { seq: number; body: string; conversationId: string };
}

import { notFound } from '../../core/errors.ts';
import type { Db } from '../../db/database.ts';
import * as repo from './block-repository.ts';
import { existingUsers } from './conversation-repository.ts';
import { selfBlock } from './errors.ts';
import { toBlock } from './mappers.ts';

/** Blocks: a block either way ends direct messages between two people (new conversations and new messages). */

const noSuchUser = () => notFound('USER_NOT_FOUND', 'No such user');

export async function block(db: Db, userId: string, blockedId: string) {
  if (blockedId === userId) throw selfBlock();
  if (!(await existingUsers(db, [blockedId])).has(blockedId)) throw noSuchUser();
  await repo.insertBlock(db, userId, blockedId);
}

export async function unblock(db: Db, userId: string, blockedId: string) {
  if (!(await repo.deleteBlock(db, userId, blockedId)))
    throw notFound('BLOCK_NOT_FOUND', 'You have not blocked this user');
}

export async function listBlocks(db: Db, userId: string) {
  return { items: (await repo.listBlocks(db, userId)).map(toBlock) };
}

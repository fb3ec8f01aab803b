import type { Db } from '../../db/database.ts';

export async function insertBlock(db: Db, blockerId: string, blockedId: string) {
  await db
    .insertInto('user_blocks')
    .values({ blocker_id: blockerId, blocked_id: blockedId })
    .onConflict((oc) => oc.doNothing())
    .execute();
}

export async function deleteBlock(db: Db, blockerId: string, blockedId: string): Promise<boolean> {
  const result = await db
    .deleteFrom('user_blocks')
    .where('blocker_id', '=', blockerId)
    .where('blocked_id', '=', blockedId)
    .executeTakeFirst();
  return result.numDeletedRows > 0n;
}

export function listBlocks(db: Db, blockerId: string) {
  return db
    .selectFrom('user_blocks as b')
    .innerJoin('user_profiles as u', 'u.id', 'b.blocked_id')
    .select(['b.blocked_id', 'u.username', 'b.created_at'])
    .where('b.blocker_id', '=', blockerId)
    .orderBy('b.created_at', 'desc')
    .orderBy('b.blocked_id')
    .execute();
}

export type BlockRow = Awaited<ReturnType<typeof listBlocks>>[number];

/** Whether either of the two has blocked the other (a primary-key probe from each end). */
export async function eitherBlocked(db: Db, a: string, b: string): Promise<boolean> {
  const row = await db
    .selectFrom('user_blocks')
    .select('blocker_id')
    .where((eb) =>
      eb.or([
        eb.and([eb('blocker_id', '=', a), eb('blocked_id', '=', b)]),
        eb.and([eb('blocker_id', '=', b), eb('blocked_id', '=', a)]),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { unlessParentGone } from '../../db/errors.ts';
import { exists } from '../../db/exists.ts';
import type { ProfileRow } from './mappers.ts';

/** SQL for profiles (auth's public `user_profiles` view) and follows. */

export interface UserRef extends ProfileRow {
  id: string;
}

export function findUserByUsername(db: Db, username: string): Promise<UserRef | undefined> {
  return db
    .selectFrom('user_profiles')
    .select(['id', 'username', 'bio', 'image'])
    .where(sql`lower(username)`, '=', sql`lower(${username})`)
    .executeTakeFirst();
}

export function isFollowing(db: Db, followerId: string, followeeId: string): Promise<boolean> {
  return exists(
    db.selectFrom('blog_follows').where((eb) => eb.and({ follower_id: followerId, followee_id: followeeId })),
  );
}

/** Idempotent: following twice is one follow. */
export function follow(db: Db, followerId: string, followeeId: string): Promise<'ok' | 'gone'> {
  return unlessParentGone(
    db
      .insertInto('blog_follows')
      .values({ follower_id: followerId, followee_id: followeeId })
      .onConflict((oc) => oc.doNothing())
      .execute(),
  );
}

export async function unfollow(db: Db, followerId: string, followeeId: string): Promise<void> {
  await db
    .deleteFrom('blog_follows')
    .where('follower_id', '=', followerId)
    .where('followee_id', '=', followeeId)
    .execute();
}

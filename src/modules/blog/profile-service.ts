import type { Db } from '../../db/database.ts';
import { cannotFollowSelf, profileNotFound } from './errors.ts';
import { toProfile } from './mappers.ts';
import * as repo from './profile-repository.ts';

/** Profiles and following: auth's public profile view, and the blog's follows. */

export async function getProfile(db: Db, viewerId: string | null, username: string) {
  const user = await repo.findUserByUsername(db, username);
  if (!user) throw profileNotFound();
  const following = viewerId !== null && (await repo.isFollowing(db, viewerId, user.id));
  return toProfile(user, following);
}

export async function setFollowing(db: Db, viewerId: string, username: string, following: boolean) {
  const user = await repo.findUserByUsername(db, username);
  if (!user) throw profileNotFound();
  if (following) {
    // RealWorld clients hide the button on one's own profile; the API refuses it as well.
    if (user.id === viewerId) throw cannotFollowSelf();
    if ((await repo.follow(db, viewerId, user.id)) === 'gone') throw profileNotFound();
  } else await repo.unfollow(db, viewerId, user.id);
  return toProfile(user, following);
}

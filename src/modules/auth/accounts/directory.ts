import type { Db } from '../../../db/database.ts';
import { findUserByLogin } from './account-repository.ts';

/**
 * How other modules find an account from what a person typed (a username or an email address)
 * without reading `users` themselves: only the public id and username come back, never the email.
 * Disabled accounts are not found.
 */
export async function findUserByUsernameOrEmail(
  db: Db,
  login: string,
): Promise<{ id: string; username: string } | undefined> {
  const user = await findUserByLogin(db, login.trim());
  return user && !user.disabled_at ? { id: user.id, username: user.username } : undefined;
}

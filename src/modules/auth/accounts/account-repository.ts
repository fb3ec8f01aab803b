import { type Selectable, sql } from 'kysely';
import type { Db } from '../../../db/database.ts';
import { isUniqueViolation } from '../../../db/errors.ts';
import type { UsersTable } from '../tables.ts';

export type UserRow = Selectable<UsersTable>;

/** Which unique rule a write broke, so the service can name the field. */
export type TakenField = 'email' | 'username';

function takenField(error: unknown): TakenField | null {
  if (isUniqueViolation(error, 'users_email_lower_key')) return 'email';
  if (isUniqueViolation(error, 'users_username_lower_key')) return 'username';
  return null;
}

export async function insertUser(
  db: Db,
  user: { email: string; username: string; passwordHash: string | null },
): Promise<UserRow | TakenField> {
  try {
    return await db
      .insertInto('users')
      .values({ email: user.email, username: user.username, password_hash: user.passwordHash })
      .returningAll()
      .executeTakeFirstOrThrow();
  } catch (error) {
    const field = takenField(error);
    if (field) return field;
    throw error;
  }
}

export function findUserById(db: Db, id: string): Promise<UserRow | undefined> {
  return db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirst();
}

/** Finds a user by email or username, case-insensitively (both are unique that way). */
export function findUserByLogin(db: Db, login: string): Promise<UserRow | undefined> {
  const field = login.includes('@') ? 'email' : 'username';
  return db
    .selectFrom('users')
    .selectAll()
    .where(sql`lower(${sql.ref(field)})`, '=', login.toLowerCase())
    .executeTakeFirst();
}

export async function updateUser(
  db: Db,
  id: string,
  changes: Partial<{
    email: string;
    username: string;
    password_hash: string;
    bio: string | null;
    image: string | null;
    email_verified_at: Date | null;
  }>,
): Promise<UserRow | TakenField | undefined> {
  try {
    return await db
      .updateTable('users')
      .set({ ...changes, updated_at: new Date() })
      .where('id', '=', id)
      .returningAll()
      .executeTakeFirst();
  } catch (error) {
    const field = takenField(error);
    if (field) return field;
    throw error;
  }
}

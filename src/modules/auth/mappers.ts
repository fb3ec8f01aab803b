import type { Static } from 'typebox';
import type { UserRow } from './repository.ts';
import type { User } from './schemas.ts';

export function toUser(row: UserRow): Static<typeof User> {
  return {
    id: row.id,
    email: row.email,
    username: row.username,
    bio: row.bio,
    image: row.image,
    role: row.role,
    emailVerified: row.email_verified_at !== null,
    createdAt: row.created_at.toISOString(),
  };
}

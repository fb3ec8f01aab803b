import { Type } from 'typebox';
import { Id, Timestamp } from '../../core/schemas.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './accounts/passwords.ts';
import * as examples from './examples.ts';

/** Schemas every part of auth shares: the account's fields and its API shape. */

export const Email = Type.String({ format: 'email', maxLength: 254 });
export const Username = Type.String({
  minLength: 1,
  maxLength: 40,
  pattern: '^[A-Za-z0-9_.-]+$',
  description: 'Letters, digits, `_`, `.` and `-`',
});
// Length only (NIST 800-63B): no composition rules; any unicode allowed.
export const Password = Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH });

// Opaque tokens are 43 base64url characters; the bound is generous and keeps junk out.
export const OpaqueToken = Type.String({ minLength: 1, maxLength: 200, pattern: '^[A-Za-z0-9_-]+$' });

export const User = Type.Object(
  {
    id: Id,
    email: Type.String(),
    username: Type.String(),
    bio: Type.Union([Type.String(), Type.Null()]),
    image: Type.Union([Type.String(), Type.Null()]),
    role: Type.Enum(['user', 'admin']),
    emailVerified: Type.Boolean(),
    createdAt: Timestamp,
  },
  { examples: [examples.account], $id: 'User' },
);

import { Type } from 'typebox';
import { Id, Timestamp } from '../../core/schemas.ts';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.ts';

export const Email = Type.String({ format: 'email', maxLength: 254 });
export const Username = Type.String({
  minLength: 1,
  maxLength: 40,
  pattern: '^[A-Za-z0-9_.-]+$',
  description: 'Letters, digits, `_`, `.` and `-`',
});
// Length only (NIST 800-63B): no composition rules; any unicode allowed.
export const Password = Type.String({ minLength: PASSWORD_MIN_LENGTH, maxLength: PASSWORD_MAX_LENGTH });

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
  { $id: 'User' },
);

export const RegisterBody = Type.Object(
  { email: Email, username: Username, password: Password },
  { additionalProperties: false },
);

export const LoginBody = Type.Object(
  {
    login: Type.String({ minLength: 1, maxLength: 254, description: 'Email or username' }),
    password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }),
  },
  { additionalProperties: false },
);

export const RefreshBody = Type.Object(
  { refreshToken: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false },
);

export const Tokens = Type.Object({
  accessToken: Type.String(),
  refreshToken: Type.String(),
  tokenType: Type.Literal('Bearer'),
  expiresIn: Type.Integer({ description: 'Seconds until the access token expires' }),
  user: User,
});

export const UpdateMeBody = Type.Object(
  {
    email: Type.Optional(Email),
    username: Type.Optional(Username),
    password: Type.Optional(Password),
    currentPassword: Type.Optional(Type.String({ maxLength: PASSWORD_MAX_LENGTH })),
    bio: Type.Optional(Type.Union([Type.String({ maxLength: 2000 }), Type.Null()])),
    image: Type.Optional(Type.Union([Type.String({ format: 'uri', maxLength: 2000 }), Type.Null()])),
  },
  { additionalProperties: false, minProperties: 1 },
);

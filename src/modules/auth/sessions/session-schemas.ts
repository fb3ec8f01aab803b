import { Type } from 'typebox';
import { Id, Page, PageQuery, Timestamp } from '../../../core/schemas.ts';
import { PASSWORD_MAX_LENGTH } from '../accounts/passwords.ts';
import * as examples from '../examples.ts';
import { User } from '../schemas.ts';

export const LoginBody = Type.Object(
  {
    login: Type.String({ minLength: 1, maxLength: 254, description: 'Email or username' }),
    password: Type.String({ minLength: 1, maxLength: PASSWORD_MAX_LENGTH }),
  },
  { examples: [examples.login], additionalProperties: false },
);

export const RefreshBody = Type.Object(
  { refreshToken: Type.String({ minLength: 1, maxLength: 200 }) },
  { examples: [examples.refresh], additionalProperties: false },
);

export const Tokens = Type.Object(
  {
    accessToken: Type.String(),
    refreshToken: Type.String(),
    tokenType: Type.Literal('Bearer'),
    expiresIn: Type.Integer({ description: 'Seconds until the access token expires' }),
    user: User,
  },
  { examples: [examples.tokens] },
);

export const CookieSession = Type.Object({
  user: User,
  expiresAt: Type.String({ format: 'date-time', description: 'Absolute end of the session' }),
  idleTimeoutSeconds: Type.Integer({ description: 'The session ends after this long without a request' }),
});

export const Session = Type.Object({
  id: Id,
  kind: Type.Enum(['token', 'cookie'], { description: '`token`: bearer + refresh; `cookie`: browser session' }),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  ip: Type.Union([Type.String(), Type.Null()]),
  createdAt: Timestamp,
  lastUsedAt: Timestamp,
  expiresAt: Timestamp,
  current: Type.Boolean({ description: 'The session this request was made with' }),
});

export const SessionPage = Page(Session);

export const SessionListQuery = PageQuery(20);

export const SessionParams = Type.Object({ id: Id });

import { Type } from 'typebox';
import { Id, Page, PageQuery, Timestamp } from '../../core/schemas.ts';
import { User } from './schemas.ts';

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

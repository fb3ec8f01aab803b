import { Type } from 'typebox';
import { Id, Page, PageQuery, Timestamp } from '../../../core/schemas.ts';
import { User } from '../schemas.ts';

export const ManagedUser = Type.Object({
  ...User.properties,
  disabled: Type.Boolean(),
  disabledAt: Type.Union([Timestamp, Type.Null()]),
});

export const UserPage = Page(ManagedUser);

export const UserListQuery = Type.Object({
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 254, description: 'Email or username prefix' })),
  ...PageQuery(20).properties,
});

export const UserParams = Type.Object({ id: Id });

export const UpdateUserBody = Type.Object(
  {
    role: Type.Optional(Type.Enum(['user', 'admin'])),
    disabled: Type.Optional(Type.Boolean({ description: 'true disables the account and ends its sessions' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const AuditEvent = Type.Object({
  id: Type.Integer(),
  type: Type.String({ description: 'e.g. `login_succeeded`, `login_failed`, `logout`, `role_changed`' }),
  userId: Type.Union([Id, Type.Null()], { description: 'The account concerned; null for an unknown login' }),
  actorId: Type.Union([Id, Type.Null()], { description: 'Who acted, when not the account itself' }),
  ip: Type.Union([Type.String(), Type.Null()]),
  userAgent: Type.Union([Type.String(), Type.Null()]),
  details: Type.Record(Type.String(), Type.Unknown()),
  createdAt: Timestamp,
});

export const AuditPage = Page(AuditEvent);

export const AuditQuery = Type.Object({
  userId: Type.Optional(Id),
  ...PageQuery(50).properties,
});

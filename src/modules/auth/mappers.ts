import type { Static } from 'typebox';
import type { UserRow } from './accounts/account-repository.ts';
import type { AuditEvent, ManagedUser } from './admin/admin-schemas.ts';
import type { User } from './schemas.ts';
import type { Session } from './sessions/session-schemas.ts';

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

export function toSession(row: {
  id: string;
  kind: 'token' | 'cookie';
  user_agent: string | null;
  ip: string | null;
  created_at: Date;
  last_used_at: Date;
  expires_at: Date;
  current: boolean;
}): Static<typeof Session> {
  return {
    id: row.id,
    kind: row.kind,
    userAgent: row.user_agent,
    ip: row.ip,
    createdAt: row.created_at.toISOString(),
    lastUsedAt: row.last_used_at.toISOString(),
    expiresAt: row.expires_at.toISOString(),
    current: row.current,
  };
}

export function toManagedUser(row: UserRow): Static<typeof ManagedUser> {
  return { ...toUser(row), disabled: row.disabled_at !== null, disabledAt: row.disabled_at?.toISOString() ?? null };
}

export function toAuditEvent(row: {
  id: number;
  type: string;
  user_id: string | null;
  actor_id: string | null;
  ip: string | null;
  user_agent: string | null;
  details: Record<string, unknown>;
  created_at: Date;
}): Static<typeof AuditEvent> {
  return {
    id: row.id,
    type: row.type,
    userId: row.user_id,
    actorId: row.actor_id,
    ip: row.ip,
    userAgent: row.user_agent,
    details: row.details,
    createdAt: row.created_at.toISOString(),
  };
}

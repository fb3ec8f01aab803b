import type { Db } from '../../db/database.ts';
import type { ClientInfo } from './client-info.ts';
import type { AuditEventType } from './tables.ts';

export interface AuditEvent {
  type: AuditEventType;
  /** The account the event is about (null: no known account, e.g. a failed log-in for an unknown email). */
  userId: string | null;
  /** Who did it, when not the account itself (an admin changing a role). */
  actorId?: string | null;
  client?: ClientInfo;
  /** Extra facts worth keeping. Never secrets: no passwords, tokens or hashes. */
  details?: Record<string, unknown>;
}

/** Appends one event to the audit log. Takes a transaction when the event belongs to a change. */
export async function recordAuditEvent(db: Db, event: AuditEvent): Promise<void> {
  await db
    .insertInto('auth_audit_events')
    .values({
      type: event.type,
      user_id: event.userId,
      actor_id: event.actorId ?? null,
      ip: event.client?.ip ?? null,
      user_agent: event.client?.userAgent ?? null,
      details: JSON.stringify(event.details ?? {}),
    })
    .execute();
}

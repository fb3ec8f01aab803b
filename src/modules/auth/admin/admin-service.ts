import type { FastifyInstance } from 'fastify';
import { forbidden } from '../../../core/errors.ts';
import type { Db } from '../../../db/database.ts';
import { cursorScope, decodeCursor, toPage } from '../../../lib/cursor.ts';
import type { UserRow } from '../accounts/account-repository.ts';
import { recordAuditEvent } from '../audit.ts';
import type { ClientInfo } from '../client-info.ts';
import { selfChangeRefused, userNotFound } from '../errors.ts';
import type { AuthUser } from '../guard.ts';
import * as sessionRepo from '../sessions/session-repository.ts';
import { endAllSessions } from '../sessions/session-service.ts';
import type { Role } from '../tables.ts';
import * as adminRepo from './admin-repository.ts';

/** Rules for administrators (user list, roles, disabling) and for reading the audit log. */

export async function listUsers(
  app: FastifyInstance,
  query: { q?: string; cursor?: string; limit: number },
): Promise<{ items: UserRow[]; nextCursor: string | null }> {
  const q = query.q?.trim() || undefined;
  // A cursor is bound to the search it was made for.
  const scope = cursorScope({ list: 'auth.users', q: q?.toLowerCase() ?? null });
  const rows = await adminRepo.listUsers(app.db, {
    q,
    afterId: query.cursor === undefined ? undefined : String(decodeCursor(query.cursor, scope, ['uuid'])[0]),
    limit: query.limit,
  });
  const { rows: items, nextCursor } = toPage(rows, query.limit, scope, (row) => [row.id]);
  return { items, nextCursor };
}

/**
 * Changes a user's role or disables/enables the account. An admin may not change their own role
 * or disable themselves: that is how the last admin locks everyone out. Disabling ends every
 * session of the account at once; a role change reaches live sessions within the session
 * cache's lifetime (at once on this instance).
 */
export async function updateUser(
  app: FastifyInstance,
  admin: AuthUser,
  userId: string,
  changes: { role?: Role; disabled?: boolean },
  client: ClientInfo,
): Promise<UserRow> {
  if (userId === admin.id && (changes.role !== undefined || changes.disabled !== undefined)) {
    throw selfChangeRefused();
  }
  const result = await app.db.transaction().execute(async (trx) => {
    const before = await adminRepo.lockUser(trx, userId);
    if (!before) return undefined;
    const roleChanged = changes.role !== undefined && changes.role !== before.role;
    const disabling = changes.disabled === true && before.disabled_at === null;
    const enabling = changes.disabled === false && before.disabled_at !== null;
    if (!roleChanged && !disabling && !enabling) return { user: before, roleChanged, disabling };
    const user = await adminRepo.setRoleAndStatus(trx, userId, {
      ...(roleChanged ? { role: changes.role } : {}),
      ...(disabling ? { disabled_at: new Date() } : {}),
      ...(enabling ? { disabled_at: null } : {}),
    });
    const event = { userId, actorId: admin.id, client };
    if (roleChanged) {
      await recordAuditEvent(trx, { ...event, type: 'role_changed', details: { from: before.role, to: user.role } });
    }
    if (disabling) await recordAuditEvent(trx, { ...event, type: 'account_disabled' });
    if (enabling) await recordAuditEvent(trx, { ...event, type: 'account_enabled' });
    return { user, roleChanged, disabling };
  });
  if (!result) throw userNotFound();
  if (result.disabling) await endAllSessions(app, userId, 'account_disabled');
  else if (result.roleChanged) {
    for (const sessionId of await sessionRepo.unrevokedSessionIds(app.db, userId)) app.auth.sessions.forget(sessionId);
  }
  return result.user;
}

/**
 * Makes an existing account an admin: how the first admin comes to be (`npm run auth:make-admin`).
 * Works on a database handle alone, so the CLI needs no running app.
 */
export async function makeAdmin(db: Db, email: string): Promise<'promoted' | 'already-admin' | 'not-found'> {
  return db.transaction().execute(async (trx) => {
    const found = await adminRepo.findUserByEmail(trx, email);
    const user = found && (await adminRepo.lockUser(trx, found.id));
    if (!user) return 'not-found';
    if (user.role === 'admin') return 'already-admin';
    await adminRepo.setRoleAndStatus(trx, user.id, { role: 'admin' });
    await recordAuditEvent(trx, {
      type: 'role_changed',
      userId: user.id,
      details: { from: user.role, to: 'admin', via: 'cli' },
    });
    return 'promoted';
  });
}

/**
 * The audit log, newest first. A user sees the events about their own account; an admin sees
 * everyone's, or one user's with `userId`. A non-admin asking for someone else's is refused.
 */
export async function listAudit(
  app: FastifyInstance,
  viewer: AuthUser,
  query: { userId?: string; cursor?: string; limit: number },
) {
  if (viewer.role !== 'admin' && query.userId !== undefined && query.userId !== viewer.id) {
    throw forbidden('Only admins can read other users’ audit events');
  }
  const userId = viewer.role === 'admin' ? query.userId : viewer.id;
  const scope = cursorScope({ list: 'auth.audit', userId: userId ?? null });
  const rows = await adminRepo.listAuditEvents(app.db, {
    userId,
    beforeId: query.cursor === undefined ? undefined : Number(decodeCursor(query.cursor, scope, ['integer'])[0]),
    limit: query.limit,
  });
  const { rows: items, nextCursor } = toPage(rows, query.limit, scope, (row) => [row.id]);
  return { items, nextCursor };
}

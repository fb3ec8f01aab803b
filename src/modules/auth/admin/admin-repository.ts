import { sql } from 'kysely';
import type { Db, Trx } from '../../../db/database.ts';
import type { UserRow } from '../accounts/account-repository.ts';
import type { Role } from '../tables.ts';

/** `abc` → `abc%` for LIKE, with LIKE's own wildcards in the input taken literally. */
function prefixPattern(prefix: string): string {
  return `${prefix.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * Users, newest first, keyset-paginated on (created_at, id), optionally those whose email or
 * username starts with `q` (served by the text_pattern_ops indexes of migration 120).
 */
export function listUsers(
  db: Db,
  options: { q: string | undefined; afterId: string | undefined; limit: number },
): Promise<UserRow[]> {
  let query = db.selectFrom('users').selectAll();
  if (options.q) {
    const pattern = prefixPattern(options.q);
    query = query.where((eb) =>
      eb.or([eb(sql`lower(email)`, 'like', pattern), eb(sql`lower(username)`, 'like', pattern)]),
    );
  }
  if (options.afterId) {
    query = query.where(
      sql<boolean>`(created_at, id) < (select c.created_at, c.id from users c where c.id = ${options.afterId})`,
    );
  }
  return query
    .orderBy('created_at', 'desc')
    .orderBy('id', 'desc')
    .limit(options.limit + 1)
    .execute();
}

/** Locks a user row for an admin change, so two admins' edits apply one after the other. */
export function lockUser(trx: Trx, id: string): Promise<UserRow | undefined> {
  return trx.selectFrom('users').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
}

export function setRoleAndStatus(
  db: Db,
  id: string,
  changes: { role?: Role; disabled_at?: Date | null },
): Promise<UserRow> {
  return db
    .updateTable('users')
    .set({ ...changes, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();
}

export function findUserByEmail(db: Db, email: string): Promise<UserRow | undefined> {
  return db
    .selectFrom('users')
    .selectAll()
    .where(sql`lower(email)`, '=', email.trim().toLowerCase())
    .executeTakeFirst();
}

/** Audit events, newest first (by id), keyset-paginated on id; all of them, or one user's. */
export function listAuditEvents(
  db: Db,
  options: { userId: string | undefined; beforeId: number | undefined; limit: number },
) {
  let query = db
    .selectFrom('auth_audit_events')
    .select(['id', 'type', 'user_id', 'actor_id', 'ip', 'user_agent', 'details', 'created_at']);
  if (options.userId) query = query.where('user_id', '=', options.userId);
  if (options.beforeId !== undefined) query = query.where('id', '<', options.beforeId);
  return query
    .orderBy('id', 'desc')
    .limit(options.limit + 1)
    .execute();
}

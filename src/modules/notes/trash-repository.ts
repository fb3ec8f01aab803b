import { type SqlBool, sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import { EXCERPT_LENGTH } from './mappers.ts';
import { noteColumns } from './note-repository.ts';

/** SQL for the trash: a user's trashed notes, and the ones old enough to purge. */

/** Most recently trashed first, keyset on (trashed_at, id) through notes_owner_trashed_idx. */
export function trashQuery(db: Db, ownerId: string, options: { limit: number; after?: [string, string] | undefined }) {
  let query = db
    .selectFrom('notes as n')
    .select(noteColumns.filter((column) => column !== 'n.body'))
    .select([sql<string>`left(n.body, ${sql.lit(EXCERPT_LENGTH)})`.as('excerpt'), sql<null>`null`.as('rank')])
    .where('n.owner_id', '=', ownerId)
    .where('n.trashed_at', 'is not', null);
  if (options.after) {
    const [trashedAt, id] = options.after;
    query = query.where(sql<SqlBool>`(n.trashed_at, n.id) < (${trashedAt}::timestamptz, ${id}::uuid)`);
  }
  return query
    .orderBy('n.trashed_at', 'desc')
    .orderBy('n.id', 'desc')
    .limit(options.limit + 1);
}

const trashedBefore = (days: number) => sql<Date>`now() - make_interval(secs => ${days * 86_400})`;

/** Notes in the trash for longer than `days` (through notes_trashed_idx), a batch at a time. */
export function expiredTrash(db: Db, days: number, limit: number) {
  return db
    .selectFrom('notes')
    .select(['owner_id', 'id'])
    .where('trashed_at', '<', trashedBefore(days))
    .orderBy('trashed_at')
    .limit(limit)
    .execute();
}

/** Locks one of those notes if it is still expired trash (it may have been restored meanwhile). */
export function lockExpiredNote(trx: Trx, ownerId: string, noteId: string, days: number) {
  return trx
    .selectFrom('notes')
    .select('id')
    .where('owner_id', '=', ownerId)
    .where('id', '=', noteId)
    .where('trashed_at', '<', trashedBefore(days))
    .forUpdate()
    .executeTakeFirst();
}

import { type Expression, type ExpressionBuilder, type SqlBool, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';

/** SQL of the clean-up sweeps; each reads through a partial index of migration 20261201033000_files. */

type FilesCondition = (eb: ExpressionBuilder<Database, 'files'>) => Expression<SqlBool>;

/**
 * Marks up to `limit` files meeting `condition` as deleted. The condition is checked again by the
 * UPDATE on each row it locks, so a file that changed meanwhile (attached, completed) is spared.
 */
async function markDeleted(db: Db, condition: FilesCondition, limit: number): Promise<number> {
  const rows = await db
    .updateTable('files')
    .set({ status: 'deleted', deleted_at: sql`now()` })
    .where('id', 'in', db.selectFrom('files').select('id').where(condition).limit(limit))
    .where(condition)
    .returning('id')
    .execute();
  return rows.length;
}

/** Ready files attached to nothing since before `cutoff`. */
export function deleteOrphans(db: Db, cutoff: Date, limit: number): Promise<number> {
  return markDeleted(
    db,
    (eb) => eb.and([eb('status', '=', 'ready'), eb('attachment_count', '=', 0), eb('unattached_since', '<', cutoff)]),
    limit,
  );
}

/** Uploads begun before `cutoff` and never finished (a crash, an abandoned direct upload). */
export function deleteStalledUploads(db: Db, cutoff: Date, limit: number): Promise<number> {
  return markDeleted(db, (eb) => eb.and([eb('status', '=', 'uploading'), eb('created_at', '<', cutoff)]), limit);
}

/** Deleted files whose blobs are still to be removed, with the keys of their previews. */
export function deletedFiles(db: Db, limit: number) {
  return db
    .selectFrom('files as f')
    .select((eb) => [
      'f.id',
      'f.storage_key',
      eb.fn
        .coalesce(
          eb
            .selectFrom('file_previews as p')
            .select(sql<string[]>`array_agg(p.storage_key)`.as('keys'))
            .whereRef('p.file_id', '=', 'f.id'),
          sql<string[]>`'{}'::text[]`,
        )
        .as('preview_keys'),
    ])
    .where('f.status', '=', 'deleted')
    .orderBy('f.created_at')
    .limit(limit)
    .execute();
}

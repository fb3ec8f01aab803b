import { type Kysely, sql } from 'kysely';
import type { Database } from '../../db/schema.ts';

/** SQL of the clean-up sweeps; each reads through a partial index of migration 20261201033000_files. */

type Db = Kysely<Database>;

/**
 * Marks ready files attached to nothing since before `cutoff` as deleted. The condition is checked
 * again in the UPDATE itself, so a file attached meanwhile (attach locks and counts it) is spared.
 */
export async function deleteOrphans(db: Db, cutoff: Date, limit: number): Promise<number> {
  const rows = await db
    .updateTable('files')
    .set({ status: 'deleted', deleted_at: sql`now()` })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('files')
        .select('id')
        .where('status', '=', 'ready')
        .where('attachment_count', '=', 0)
        .where('unattached_since', '<', cutoff)
        .limit(limit),
    )
    .where('status', '=', 'ready')
    .where('attachment_count', '=', 0)
    .returning('id')
    .execute();
  return rows.length;
}

/** Marks uploads begun before `cutoff` and never finished (a crash, an abandoned direct upload) as deleted. */
export async function deleteStalledUploads(db: Db, cutoff: Date, limit: number): Promise<number> {
  const rows = await db
    .updateTable('files')
    .set({ status: 'deleted', deleted_at: sql`now()` })
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('files')
        .select('id')
        .where('status', '=', 'uploading')
        .where('created_at', '<', cutoff)
        .limit(limit),
    )
    .where('status', '=', 'uploading')
    .returning('id')
    .execute();
  return rows.length;
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

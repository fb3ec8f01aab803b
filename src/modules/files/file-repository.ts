import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';

/** SQL for files and their previews. Reads a user makes put the owner in the WHERE clause. */

export const fileColumns = [
  'id',
  'owner_id',
  'status',
  'purpose',
  'name',
  'content_type',
  'size',
  'sha256',
  'width',
  'height',
  'storage_key',
  'attachment_count',
  'created_at',
] as const;

export type FileRow = NonNullable<Awaited<ReturnType<typeof findFile>>>;

export function insertPendingFile(
  db: Db,
  row: {
    id: string;
    ownerId: string;
    purpose: string;
    name: string;
    storageKey: string;
    contentType?: string;
    size?: number;
  },
) {
  return db
    .insertInto('files')
    .values({
      id: row.id,
      owner_id: row.ownerId,
      purpose: row.purpose,
      name: row.name,
      storage_key: row.storageKey,
      ...(row.contentType ? { content_type: row.contentType } : {}),
      ...(row.size !== undefined ? { size: row.size } : {}),
    })
    .returning(fileColumns)
    .executeTakeFirstOrThrow();
}

/** The caller's ready file, or undefined: another user's file, or one being uploaded, does not exist for them. */
export function findFile(db: Db, ownerId: string, id: string) {
  return db
    .selectFrom('files')
    .select(fileColumns)
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .where('status', '=', 'ready')
    .executeTakeFirst();
}

/**
 * The caller's ready files, newest first, after a keyset position: one range of
 * files_owner_created_idx. Exported so explain.test.ts can prove it.
 */
export function fileListQuery(db: Db, ownerId: string, limit: number, after?: { createdAt: string; id: string }) {
  let query = db.selectFrom('files').select(fileColumns).where('owner_id', '=', ownerId).where('status', '=', 'ready');
  if (after) query = query.where(sql<boolean>`(created_at, id) < (${after.createdAt}::timestamptz, ${after.id}::uuid)`);
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(limit);
}

/** A ready file by id alone: only for requests that proved access another way (a signed link). */
export function findReadyFileById(db: Db, id: string) {
  return db
    .selectFrom('files')
    .select(fileColumns)
    .where('id', '=', id)
    .where('status', '=', 'ready')
    .executeTakeFirst();
}

/** Locks the caller's file (any status but deleted) for the rest of the transaction. */
export function lockFile(trx: Trx, ownerId: string, id: string) {
  return trx
    .selectFrom('files')
    .select(fileColumns)
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .where('status', '<>', 'deleted')
    .forUpdate()
    .executeTakeFirst();
}

/**
 * Serialises quota decisions of one user for the rest of the transaction, so two uploads
 * finishing at once cannot both fit into the same remaining bytes.
 */
export async function lockQuota(trx: Trx, ownerId: string): Promise<void> {
  await sql`select pg_advisory_xact_lock(hashtextextended(${`files:quota:${ownerId}`}, 0))`.execute(trx);
}

/** Bytes the user's files hold, counting uploads under way (their declared size) and not deleted ones. */
export function usedBytesQuery(db: Db, ownerId: string, exceptId?: string) {
  let query = db
    .selectFrom('files')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('size'), sql<number>`0`).as('used'))
    .where('owner_id', '=', ownerId)
    .where('status', '<>', 'deleted');
  if (exceptId) query = query.where('id', '<>', exceptId);
  return query;
}

export async function usedBytes(db: Db, ownerId: string, exceptId?: string): Promise<number> {
  const { used } = await usedBytesQuery(db, ownerId, exceptId).executeTakeFirstOrThrow();
  return Number(used);
}

export function markReady(
  trx: Trx,
  id: string,
  values: { size: number; sha256: string; contentType: string; width: number | null; height: number | null },
) {
  return trx
    .updateTable('files')
    .set({
      status: 'ready',
      size: values.size,
      sha256: values.sha256,
      content_type: values.contentType,
      width: values.width,
      height: values.height,
    })
    .where('id', '=', id)
    .where('status', '=', 'uploading')
    .returning(fileColumns)
    .executeTakeFirst();
}

/** Hides the file at once (and frees its quota); the clean-up removes its blobs and then the row. */
export async function markDeleted(trx: Trx, id: string): Promise<void> {
  await trx.updateTable('files').set({ status: 'deleted', deleted_at: sql`now()` }).where('id', '=', id).execute();
}

export async function deleteFileRow(db: Db, id: string): Promise<void> {
  await db.deleteFrom('files').where('id', '=', id).execute();
}

export function findPreview(db: Db, fileId: string, width: number) {
  return db
    .selectFrom('file_previews')
    .select(['storage_key', 'size', 'content_type'])
    .where('file_id', '=', fileId)
    .where('width', '=', width)
    .executeTakeFirst();
}

export async function insertPreview(
  db: Db,
  row: { fileId: string; width: number; storageKey: string; size: number; contentType: string },
): Promise<void> {
  await db
    .insertInto('file_previews')
    .values({
      file_id: row.fileId,
      width: row.width,
      storage_key: row.storageKey,
      size: row.size,
      content_type: row.contentType,
    })
    .onConflict((oc) => oc.columns(['file_id', 'width']).doNothing())
    .execute();
}

export function previewKeysOf(db: Db, fileId: string) {
  return db.selectFrom('file_previews').select('storage_key').where('file_id', '=', fileId).execute();
}

import { sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import { fileColumns } from './file-repository.ts';

/** SQL for attachments: which objects of other modules hold which files, and the count on each file. */

export interface ObjectRef {
  objectType: string;
  objectId: string;
}

/** Locks a ready file for attaching; `ownerId` limits it to the caller's own files. */
export function lockReadyFile(trx: Trx, fileId: string, ownerId?: string) {
  let query = trx.selectFrom('files').select('id').where('id', '=', fileId).where('status', '=', 'ready');
  if (ownerId) query = query.where('owner_id', '=', ownerId);
  return query.forUpdate().executeTakeFirst();
}

/** Records the attachment; false when the object already had this file. */
export async function insertAttachment(trx: Trx, fileId: string, ref: ObjectRef): Promise<boolean> {
  const inserted = await trx
    .insertInto('file_attachments')
    .values({ file_id: fileId, object_type: ref.objectType, object_id: ref.objectId })
    .onConflict((oc) => oc.doNothing())
    .returning('file_id')
    .executeTakeFirst();
  return inserted !== undefined;
}

/** Removes the attachments of `ref` (to one file, or all); returns the files they pointed at. */
export async function deleteAttachments(trx: Trx, ref: ObjectRef, fileId?: string): Promise<string[]> {
  let query = trx
    .deleteFrom('file_attachments')
    .where('object_type', '=', ref.objectType)
    .where('object_id', '=', ref.objectId);
  if (fileId) query = query.where('file_id', '=', fileId);
  const rows = await query.returning('file_id').execute();
  return rows.map((row) => row.file_id);
}

/**
 * Moves a file's reference count by `delta`. A file whose count reaches zero starts its orphan
 * clock (`unattached_since`); the clean-up removes it once the clock passes FILES_ORPHAN_HOURS.
 */
export async function addReferences(trx: Trx, fileIds: string[], delta: 1 | -1): Promise<void> {
  if (!fileIds.length) return;
  await trx
    .updateTable('files')
    .set({
      attachment_count: sql`attachment_count + ${delta}`,
      unattached_since: sql`case when attachment_count + ${delta} = 0 then now() else null end`,
    })
    .where('id', 'in', fileIds)
    .execute();
}

/** The objects a file is attached to (through the primary key, whose first column is file_id). */
export function attachmentRefsOf(db: Db, fileId: string) {
  return db.selectFrom('file_attachments').select(['object_type', 'object_id']).where('file_id', '=', fileId).execute();
}

/**
 * Ready files attached to any of `objectIds` (of one type), with the object each belongs to, in
 * one statement: a page of messages gets its attachments in one round trip. Through
 * file_attachments_object_idx; exported so explain.test.ts can prove it.
 */
export function attachedFilesOfQuery(db: Db, objectType: string, objectIds: readonly string[]) {
  return db
    .selectFrom('file_attachments as fa')
    .innerJoin('files', 'files.id', 'fa.file_id')
    .select([...fileColumns.map((column) => `files.${column}` as const), 'fa.object_id'])
    .where('fa.object_type', '=', objectType)
    .where('fa.object_id', 'in', objectIds)
    .where('files.status', '=', 'ready')
    .orderBy('fa.object_id')
    .orderBy('files.created_at')
    .orderBy('files.id');
}

/** Removes every attachment of objects of `objectType` whose ids start with `prefix`; returns their files. */
export async function deleteAttachmentsUnder(trx: Trx, objectType: string, prefix: string): Promise<string[]> {
  const rows = await trx
    .deleteFrom('file_attachments')
    .where('object_type', '=', objectType)
    .where('object_id', 'like', `${prefix.replace(/[\\%_]/g, '\\$&')}%`)
    .returning('file_id')
    .execute();
  return rows.map((row) => row.file_id);
}

/** Ready files attached to `ref`, oldest first (through file_attachments_object_idx). */
export function attachedFilesQuery(db: Db, ref: ObjectRef) {
  return db
    .selectFrom('files')
    .select(fileColumns)
    .where('id', 'in', (eb) =>
      eb
        .selectFrom('file_attachments')
        .select('file_id')
        .where('object_type', '=', ref.objectType)
        .where('object_id', '=', ref.objectId),
    )
    .where('status', '=', 'ready')
    .orderBy('created_at')
    .orderBy('id');
}

import type { Db, Trx } from '../../db/database.ts';
import { inTransaction } from '../../db/transactions.ts';
import type { ObjectRef } from './attachment-repository.ts';
import * as repo from './attachment-repository.ts';
import { fileNotFound } from './errors.ts';
import { toFile } from './mappers.ts';
import type { FileDto } from './schemas.ts';

type DbOrTrx = Db | Trx;

/** Runs `work` in the caller's transaction when it has one, so an attach commits with their change. */
function inCallersTransaction<T>(db: DbOrTrx, work: (trx: Trx) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db as Trx) : inTransaction(db, work);
}

/**
 * Attaches a file to an object of another module (a note, an expense). Only the file's owner may
 * attach it: anyone else gets FILE_NOT_FOUND (404), as if it did not exist. Attaching twice is a
 * no-op (false). Counting references here is what makes `DELETE /api/files/{id}` refuse while attached
 * and keeps the clean-up away from the file.
 */
export async function attachFile(db: DbOrTrx, input: ObjectRef & { fileId: string; userId: string }): Promise<boolean> {
  return inCallersTransaction(db, async (trx) => {
    if (!(await repo.lockReadyFile(trx, input.fileId, input.userId))) throw fileNotFound();
    const attached = await repo.insertAttachment(trx, input.fileId, input);
    if (attached) await repo.addReferences(trx, [input.fileId], 1);
    return attached;
  });
}

/** Detaches one file from the object; true when it was attached. The owning module decides who may. */
export async function detachFile(db: DbOrTrx, input: ObjectRef & { fileId: string }): Promise<boolean> {
  return inCallersTransaction(db, async (trx) => {
    const detached = await repo.deleteAttachments(trx, input, input.fileId);
    await repo.addReferences(trx, detached, -1);
    return detached.length > 0;
  });
}

/** Detaches every file of an object that is going away; its files become orphans unless held elsewhere. */
export async function detachAll(db: DbOrTrx, ref: ObjectRef): Promise<number> {
  return inCallersTransaction(db, async (trx) => {
    const detached = await repo.deleteAttachments(trx, ref);
    await repo.addReferences(trx, detached, -1);
    return detached.length;
  });
}

/**
 * Detaches the files of every object of `objectType` whose id starts with `prefix`: for a container
 * that goes away with everything in it (a conversation, with its messages). A rare operation: it
 * reads the object type's whole range of file_attachments_object_idx.
 */
export async function detachAllUnder(db: DbOrTrx, objectType: string, prefix: string): Promise<number> {
  return inCallersTransaction(db, async (trx) => {
    const detached = await repo.deleteAttachmentsUnder(trx, objectType, prefix);
    await repo.addReferences(trx, detached, -1);
    return detached.length;
  });
}

/** The files attached to an object, oldest first. */
export async function listAttachments(db: DbOrTrx, ref: ObjectRef): Promise<FileDto[]> {
  return (await repo.attachedFilesQuery(db, ref).execute()).map(toFile);
}

/**
 * The files attached to each of `objectIds` (objects of one type), oldest first, in one query: a
 * page of objects costs one round trip, not one per object. Objects with none are absent.
 */
export async function listAttachmentsOf(
  db: DbOrTrx,
  objectType: string,
  objectIds: readonly string[],
): Promise<Map<string, FileDto[]>> {
  const byObject = new Map<string, FileDto[]>();
  if (!objectIds.length) return byObject;
  for (const row of await repo.attachedFilesOfQuery(db, objectType, objectIds).execute()) {
    const files = byObject.get(row.object_id) ?? [];
    files.push(toFile(row));
    byObject.set(row.object_id, files);
  }
  return byObject;
}

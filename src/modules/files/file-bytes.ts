import type { Readable } from 'node:stream';
import type { Db } from '../../db/database.ts';
import { fileNotFound } from './errors.ts';
import { findFile } from './file-repository.ts';
import { toFile } from './mappers.ts';
import type { FileDto } from './schemas.ts';
import type { BlobStorage } from './storage/storage.ts';

/**
 * Reading one of the caller's own files from another module's code (a bank CSV to import). The
 * storage is built inside filesModule, so module.ts records it against the app's database handle,
 * the one object every module of an app shares (and two apps in one process do not).
 */
const storages = new WeakMap<Db, BlobStorage>();

export function registerFileStorage(db: Db, storage: BlobStorage): void {
  storages.set(db, storage);
}

/**
 * A ready file `ownerId` owns, with its bytes opened: anyone else's, or a missing one, is
 * FILE_NOT_FOUND (404). The caller reads or destroys the stream.
 */
export async function openOwnFile(
  db: Db,
  ownerId: string,
  fileId: string,
): Promise<{ file: FileDto; stream: Readable }> {
  const storage = storages.get(db);
  if (!storage) throw new Error('the files module is not registered with this database handle');
  const row = await findFile(db, ownerId, fileId);
  if (!row) throw fileNotFound();
  return { file: toFile(row), stream: await storage.get(row.storage_key) };
}

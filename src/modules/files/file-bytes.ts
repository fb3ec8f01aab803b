import { buffer } from 'node:stream/consumers';
import type { Db } from '../../db/database.ts';
import { fileNotFound } from './errors.ts';
import { findFile } from './file-repository.ts';
import type { BlobStorage } from './storage/storage.ts';

/**
 * Reading the bytes of one of the caller's own files from another module (a bank CSV to import).
 * The storage is built inside filesModule, so module.ts records it against the app's database
 * handle, the one object every module of an app shares (and two apps in one process do not).
 */
const storages = new WeakMap<Db, BlobStorage>();

export function registerFileStorage(db: Db, storage: BlobStorage): void {
  storages.set(db, storage);
}

export interface OwnFile {
  id: string;
  name: string;
  /** Sniffed at upload, never the client's claim for a binary format (sniff.ts). */
  contentType: string;
  size: number;
  /** The whole file: check `size` first, this holds it in memory. */
  read(): Promise<Buffer>;
}

/** The caller's ready file; anyone else's, or a missing one, is FILE_NOT_FOUND (404). */
export async function openOwnFile(db: Db, userId: string, fileId: string): Promise<OwnFile> {
  const storage = storages.get(db);
  if (!storage) throw new Error('the files module is not registered with this database handle');
  const file = await findFile(db, userId, fileId);
  if (!file) throw fileNotFound();
  return {
    id: file.id,
    name: file.name,
    contentType: file.content_type,
    size: Number(file.size),
    read: async () => buffer(await storage.get(file.storage_key)),
  };
}

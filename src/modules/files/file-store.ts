import type { Readable } from 'node:stream';
import type { FilesContext } from './context.ts';
import { fileNotFound } from './errors.ts';
import * as repo from './file-repository.ts';
import { deleteFile } from './file-service.ts';
import { toFile } from './mappers.ts';
import type { Purpose } from './purposes.ts';
import type { FileDto } from './schemas.ts';
import { uploadFile } from './upload-service.ts';

/**
 * Files for other modules' own work (the notes export and import): reading an owner's bytes and
 * storing new ones, on whichever storage driver runs. Storing goes through the very path an HTTP
 * upload takes (upload-service.ts), so the same sniffing, purpose rules, size limit and quota apply.
 * Exposed as `app.files` (module.ts).
 */
export interface FileStore {
  /** A ready file `ownerId` owns with its bytes, opened now; FILE_NOT_FOUND (404) for anything else. */
  read(ownerId: string, fileId: string): Promise<{ file: FileDto; stream: Readable }>;
  /**
   * Stores `bytes` as a new ready file of `ownerId`. `contentType` is only a claim: the type is
   * sniffed from the bytes. Refusals are the upload's AppErrors (FILE_TOO_LARGE, QUOTA_EXCEEDED,
   * FILE_TYPE_NOT_ALLOWED, FILE_EMPTY as a 422, IMAGE_UNREADABLE, MALFORMED_UPLOAD when `bytes` fails).
   */
  store(
    ownerId: string,
    input: { name: string; contentType: string; purpose?: Purpose; bytes: AsyncIterable<Buffer | Uint8Array> },
  ): Promise<FileDto>;
  /** Deletes a file `ownerId` owns and nothing holds (a file stored for work that was then abandoned). */
  remove(ownerId: string, fileId: string): Promise<void>;
}

export function fileStore(ctx: FilesContext): FileStore {
  return {
    async read(ownerId, fileId) {
      const row = await repo.findFile(ctx.db, ownerId, fileId);
      if (!row) throw fileNotFound();
      return { file: toFile(row), stream: await ctx.storage.get(row.storage_key) };
    },
    store: (ownerId, input) =>
      uploadFile(ctx, ownerId, input.purpose ?? 'attachment', {
        file: input.bytes,
        filename: input.name,
        mimetype: input.contentType,
      }),
    remove: (ownerId, fileId) => deleteFile(ctx, ownerId, fileId),
  };
}

import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { FilesContext } from './context.ts';
import { imageUnreadable, notAnImage } from './errors.ts';
import type { FileRow } from './file-repository.ts';
import * as repo from './file-repository.ts';
import { PREVIEW_CONTENT_TYPE, previewTransform } from './images.ts';
import { IMAGE_TYPES } from './purposes.ts';
import type { ByteRange } from './storage/storage.ts';

/** What a download sends: the original file, or one of its previews. */
export interface Content {
  storageKey: string;
  size: number;
  contentType: string;
  /** Strong ETag: the bytes' SHA-256 (with the preview width), the same on every instance. */
  etag: string;
  fileName: string;
  open(range?: ByteRange): Promise<Readable>;
}

/** The file itself, or its preview `width` pixels wide (generated on first request, then kept). */
export async function contentOf(ctx: FilesContext, file: FileRow, width: number | undefined): Promise<Content> {
  if (width === undefined) {
    return {
      storageKey: file.storage_key,
      size: Number(file.size),
      contentType: file.content_type,
      etag: `"${file.sha256}"`,
      fileName: file.name,
      open: (range) => ctx.storage.get(file.storage_key, range),
    };
  }
  if (!IMAGE_TYPES.has(file.content_type)) throw notAnImage();
  const preview = await previewOf(ctx, file, width);
  return {
    storageKey: preview.storage_key,
    size: Number(preview.size),
    contentType: preview.content_type,
    etag: `"${file.sha256}-w${width}"`,
    fileName: `${file.name.replace(/\.[^.]*$/, '')}-${width}.webp`,
    open: (range) => ctx.storage.get(preview.storage_key, range),
  };
}

/**
 * The kept preview, or a new one. Requests for a preview being made on this instance wait for that
 * one; two instances racing write the same bytes under the same key, and the row is inserted once.
 */
async function previewOf(ctx: FilesContext, file: FileRow, width: number) {
  const kept = await repo.findPreview(ctx.db, file.id, width);
  if (kept) return kept;
  const flightKey = `${file.id}:${width}`;
  let flight = ctx.previewsInFlight.get(flightKey);
  if (!flight) {
    flight = generatePreview(ctx, file, width).finally(() => ctx.previewsInFlight.delete(flightKey));
    ctx.previewsInFlight.set(flightKey, flight);
  }
  await flight;
  const made = await repo.findPreview(ctx.db, file.id, width);
  if (!made) throw new Error(`preview ${flightKey} was generated but not recorded`);
  return made;
}

async function generatePreview(ctx: FilesContext, file: FileRow, width: number): Promise<void> {
  const storageKey = `previews/${file.id}/${width}`;
  const transform = previewTransform(width);
  const original = await ctx.storage.get(file.storage_key);
  let decodeError: unknown;
  transform.once('error', (error) => {
    decodeError = error;
  });
  // Storage consumes the transform's output while the original streams in. Both are awaited to
  // the end, so a failed preview has cleaned up after itself before the request is answered.
  const [read, write] = await Promise.allSettled([
    pipeline(original, transform),
    ctx.storage.put(storageKey, transform, { contentType: PREVIEW_CONTENT_TYPE }),
  ]);
  if (read.status === 'rejected' || write.status === 'rejected') {
    await ctx.storage.delete(storageKey);
    // sharp failing to decode (a body corrupt past its header, too many pixels) is the file's
    // fault, not ours; a storage failure is ours.
    if (decodeError) throw imageUnreadable();
    throw read.status === 'rejected' ? read.reason : (write as PromiseRejectedResult).reason;
  }
  const size = await ctx.storage.size(storageKey);
  if (size === undefined) throw new Error(`preview ${storageKey} vanished after it was written`);
  await repo.insertPreview(ctx.db, { fileId: file.id, width, storageKey, size, contentType: PREVIEW_CONTENT_TYPE });
  ctx.metrics.previews.inc();
}

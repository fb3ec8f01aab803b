import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { AppError } from '../../core/errors.ts';
import { inTransaction } from '../../db/transactions.ts';
import type { FilesContext } from './context.ts';
import {
  directUploadUnavailable,
  fileEmpty,
  fileNotFound,
  fileTooLarge,
  imageUnreadable,
  quotaExceeded,
  typeNotAllowed,
  uploadIncomplete,
  uploadNotPending,
} from './errors.ts';
import * as repo from './file-repository.ts';
import { imageDimensions } from './images.ts';
import { toFile } from './mappers.ts';
import { sanitizeFileName } from './names.ts';
import { IMAGE_TYPES, isAllowed, type Purpose } from './purposes.ts';
import type { CreateDirectUploadBody, FileDto } from './schemas.ts';
import { SNIFF_BYTES, sniffContentType } from './sniff.ts';
import { drain, type Measured, measure, readHead } from './upload-stream.ts';

/** Enough of an image's start to read JPEG and PNG dimensions without going back to storage. */
const IMAGE_HEAD_BYTES = 256 * 1024;
/** How long a presigned direct-upload URL stays usable. */
const DIRECT_UPLOAD_TTL_SECONDS = 15 * 60;

/** Bytes to store: a multipart part of POST /api/files, or what another module stores (file-store.ts). */
export interface UploadPart {
  file: AsyncIterable<Buffer | Uint8Array>;
  filename: string | undefined;
  mimetype: string;
}

/**
 * Streams one upload to storage while hashing it: the one path every new file's bytes take, over
 * HTTP or from another module (file-store.ts). The row exists (status `uploading`) before the
 * first byte is written, so whatever happens next — refusal, failure, a crash — leaves either a
 * ready file or a row the clean-up removes together with any blob.
 */
export async function uploadFile(ctx: FilesContext, ownerId: string, purpose: Purpose, part: UploadPart) {
  const { config, storage } = ctx;
  const remaining = config.quotaBytes - (await repo.usedBytes(ctx.db, ownerId));
  if (remaining <= 0) throw countFailure(ctx, quotaExceeded(0));
  const limit = Math.min(config.maxBytes, remaining);
  const overLimit = () => (config.maxBytes <= remaining ? fileTooLarge(config.maxBytes) : quotaExceeded(remaining));

  const id = randomUUID();
  const storageKey = `files/${id}`;
  await repo.insertPendingFile(ctx.db, { id, ownerId, purpose, name: sanitizeFileName(part.filename), storageKey });
  try {
    const source = part.file[Symbol.asyncIterator]();
    const head = await readHead(source, SNIFF_BYTES);
    if (head.length === 0) throw fileEmpty();
    const contentType = await sniffContentType(head, part.mimetype);
    if (!isAllowed(purpose, contentType)) throw typeNotAllowed(contentType, purpose);
    const keepBytes = IMAGE_TYPES.has(contentType) ? IMAGE_HEAD_BYTES : 0;
    const measured = measure(head, source, { limit, overLimit, keepBytes });
    await storage.put(storageKey, Readable.from(measured.chunks()), { contentType });
    return await finish(ctx, ownerId, id, storageKey, contentType, measured);
  } catch (error) {
    await discard(ctx, id, storageKey);
    throw countFailure(ctx, error);
  }
}

/**
 * Marks an upload ready: dimensions for images, then the quota checked again under the user's
 * quota lock (the early check could not see uploads finishing at the same time).
 */
async function finish(
  ctx: FilesContext,
  ownerId: string,
  id: string,
  storageKey: string,
  contentType: string,
  measured: Measured,
): Promise<FileDto> {
  const image = IMAGE_TYPES.has(contentType);
  const dimensions = image ? await imageDimensions(measured.prefix(), () => ctx.storage.get(storageKey)) : undefined;
  // Refused now rather than kept as an "image" that no preview can ever be made of.
  if (image && !dimensions) throw imageUnreadable();
  const sha256 = measured.sha256();
  const row = await inTransaction(ctx.db, async (trx) => {
    await repo.lockQuota(trx, ownerId);
    const used = await repo.usedBytes(trx, ownerId, id);
    if (used + measured.size > ctx.config.quotaBytes) throw quotaExceeded(Math.max(0, ctx.config.quotaBytes - used));
    return repo.markReady(trx, id, {
      size: measured.size,
      sha256,
      contentType,
      width: dimensions?.width ?? null,
      height: dimensions?.height ?? null,
    });
  });
  // Another request completed (or the clean-up removed) this upload meanwhile.
  if (!row) throw uploadNotPending();
  ctx.metrics.uploads.inc({ driver: ctx.storage.driver });
  ctx.metrics.uploadedBytes.inc({ driver: ctx.storage.driver }, measured.size);
  return toFile(row);
}

/** Removes what a failed upload left: the blob first, then its row, so no blob is ever left without one. */
async function discard(ctx: FilesContext, id: string, storageKey: string): Promise<void> {
  await ctx.storage.delete(storageKey);
  await repo.deleteFileRow(ctx.db, id);
}

function countFailure(ctx: FilesContext, error: unknown): unknown {
  ctx.metrics.failures.inc({ reason: error instanceof AppError ? error.code : 'INTERNAL_ERROR' });
  return error;
}

/**
 * Starts a direct upload (s3 driver): the quota is reserved for the declared size, and the client
 * gets a presigned PUT for exactly that many bytes, so the bytes never pass through this service.
 */
export async function createDirectUpload(ctx: FilesContext, ownerId: string, body: CreateDirectUploadBody) {
  const presign = ctx.storage.presignedPut;
  if (!presign) throw directUploadUnavailable();
  if (body.size > ctx.config.maxBytes) throw countFailure(ctx, fileTooLarge(ctx.config.maxBytes));
  if (!isAllowed(body.purpose, body.contentType))
    throw countFailure(ctx, typeNotAllowed(body.contentType, body.purpose));
  const id = randomUUID();
  const storageKey = `files/${id}`;
  await inTransaction(ctx.db, async (trx) => {
    await repo.lockQuota(trx, ownerId);
    const used = await repo.usedBytes(trx, ownerId);
    if (used + body.size > ctx.config.quotaBytes) {
      throw countFailure(ctx, quotaExceeded(Math.max(0, ctx.config.quotaBytes - used)));
    }
    await repo.insertPendingFile(trx, {
      id,
      ownerId,
      purpose: body.purpose,
      name: sanitizeFileName(body.name),
      storageKey,
      contentType: body.contentType,
      size: body.size,
    });
  });
  const expiresAt = new Date(Date.now() + DIRECT_UPLOAD_TTL_SECONDS * 1000);
  const uploadUrl = await presign.call(ctx.storage, storageKey, {
    contentType: body.contentType,
    size: body.size,
    expiresInSeconds: DIRECT_UPLOAD_TTL_SECONDS,
  });
  return {
    id,
    uploadUrl,
    method: 'PUT' as const,
    headers: { 'content-type': body.contentType },
    expiresAt: expiresAt.toISOString(),
  };
}

/**
 * Completes a direct upload: the object must be in storage with the declared size; its bytes are
 * then read once (streamed) to sniff their real type and compute the SHA-256 the API promises.
 */
export async function completeDirectUpload(ctx: FilesContext, ownerId: string, id: string): Promise<FileDto> {
  const pending = await inTransaction(ctx.db, (trx) => repo.lockFile(trx, ownerId, id));
  if (!pending) throw fileNotFound();
  if (pending.status !== 'uploading' || !ctx.storage.presignedPut) throw uploadNotPending();
  const key = pending.storage_key;
  const stored = await ctx.storage.size(key);
  if (stored !== Number(pending.size)) throw uploadIncomplete();
  try {
    const source = (await ctx.storage.get(key))[Symbol.asyncIterator]();
    const head = await readHead(source, SNIFF_BYTES);
    const contentType = await sniffContentType(head, pending.content_type);
    if (!isAllowed(pending.purpose as Purpose, contentType)) throw typeNotAllowed(contentType, pending.purpose);
    const keepBytes = IMAGE_TYPES.has(contentType) ? IMAGE_HEAD_BYTES : 0;
    const measured = measure(head, source, { limit: stored, overLimit: uploadIncomplete, keepBytes });
    await drain(measured);
    return await finish(ctx, ownerId, id, key, contentType, measured);
  } catch (error) {
    // A second /complete racing the first must not remove what the first made ready.
    if (!(error instanceof AppError && error.code === 'UPLOAD_NOT_PENDING')) await discard(ctx, id, key);
    throw countFailure(ctx, error);
  }
}

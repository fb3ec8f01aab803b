import { inTransaction } from '../../db/transactions.ts';
import { cursorScope, decodeCursor, toPage } from '../../lib/cursor.ts';
import { mayReadThroughAttachments } from './attachment-access.ts';
import { attachmentRefsOf } from './attachment-repository.ts';
import { dispositionOf } from './content-reply.ts';
import { type Content, contentOf } from './content-service.ts';
import type { FilesContext } from './context.ts';
import { fileAttached, fileNotFound, linkExpired, linkInvalid } from './errors.ts';
import * as repo from './file-repository.ts';
import { checkLink, signLink } from './links.ts';
import { toFile } from './mappers.ts';
import type { FileDto } from './schemas.ts';

/**
 * Reading, linking and deleting a user's files. Reads are scoped to the owner in the query, or
 * allowed through an object the file is attached to (attachment-access.ts); changes are the owner's alone.
 */

export async function listFiles(
  ctx: FilesContext,
  ownerId: string,
  query: { limit: number; cursor?: string | undefined },
) {
  const scope = cursorScope({ list: 'files' });
  let after: { createdAt: string; id: string } | undefined;
  if (query.cursor) {
    const [createdAt, id] = decodeCursor(query.cursor, scope, ['timestamp', 'uuid']) as [string, string];
    after = { createdAt, id };
  }
  const rows = await repo.fileListQuery(ctx.db, ownerId, query.limit + 1, after).execute();
  const page = toPage(rows, query.limit, scope, (row) => [row.created_at.toISOString(), row.id]);
  return { items: page.rows.map(toFile), nextCursor: page.nextCursor };
}

/**
 * A ready file `userId` may read: their own, or one attached to an object they may read (a message
 * of a conversation they are in). Anything else is FILE_NOT_FOUND, as if it did not exist.
 */
async function readableFile(ctx: FilesContext, userId: string, id: string) {
  const own = await repo.findFile(ctx.db, userId, id);
  if (own) return own;
  const refs = await attachmentRefsOf(ctx.db, id);
  if (!refs.length || !(await mayReadThroughAttachments(ctx.db, userId, refs))) throw fileNotFound();
  const row = await repo.findReadyFileById(ctx.db, id);
  if (!row) throw fileNotFound();
  return row;
}

export async function getFile(ctx: FilesContext, userId: string, id: string): Promise<FileDto> {
  return toFile(await readableFile(ctx, userId, id));
}

/** What `GET /api/files/{id}/content` sends to a user who may read the file. */
export async function readerContent(ctx: FilesContext, userId: string, id: string, width?: number): Promise<Content> {
  return contentOf(ctx, await readableFile(ctx, userId, id), width);
}

export interface SignedRequest {
  fileId: string;
  width: number | undefined;
  expires: number;
  signature: string;
}

/**
 * What a signed link sends, with the seconds it has left. The signature is checked before the
 * database is asked, so a forged link learns nothing about which files exist.
 */
export async function signedContent(
  ctx: FilesContext,
  link: SignedRequest,
): Promise<{ content: Content; ttl: number }> {
  const now = Math.floor(Date.now() / 1000);
  const check = checkLink(ctx.config.linkSecret, link, now);
  if (check === 'invalid') throw linkInvalid();
  if (check === 'expired') throw linkExpired();
  const row = await repo.findReadyFileById(ctx.db, link.fileId);
  if (!row) throw fileNotFound();
  return { content: await contentOf(ctx, row, link.width), ttl: link.expires - now };
}

/**
 * A URL that fetches the file (or a preview) without credentials for `minutes`: the store's own
 * presigned URL on S3, an HMAC-signed URL of this API on local disk.
 */
export async function createLink(
  ctx: FilesContext,
  userId: string,
  id: string,
  options: { expiresInMinutes: number; width?: number | undefined },
): Promise<{ url: string; expiresAt: string }> {
  const content = await readerContent(ctx, userId, id, options.width);
  const expiresInSeconds = options.expiresInMinutes * 60;
  const expires = Math.floor(Date.now() / 1000) + expiresInSeconds;
  const expiresAt = new Date(expires * 1000).toISOString();
  if (ctx.storage.presignedGet) {
    const url = await ctx.storage.presignedGet(content.storageKey, {
      expiresInSeconds,
      contentType: content.contentType,
      contentDisposition: dispositionOf(content, false),
      cacheControl: `private, max-age=${expiresInSeconds}`,
    });
    return { url, expiresAt };
  }
  const query = new URLSearchParams();
  if (options.width !== undefined) query.set('width', String(options.width));
  query.set('expires', String(expires));
  query.set('signature', signLink(ctx.config.linkSecret, id, options.width, expires));
  return { url: `${ctx.publicUrl}/api/files/${id}/content?${query}`, expiresAt };
}

/**
 * Deletes a file the caller owns (or cancels a direct upload), refused (409) while any object still
 * has it attached. The row is hidden at once; the clean-up job, queued with the change, removes
 * its blobs and then the row.
 */
export async function deleteFile(ctx: FilesContext, ownerId: string, id: string): Promise<void> {
  await inTransaction(ctx.db, async (trx) => {
    const row = await repo.lockFile(trx, ownerId, id);
    if (!row) throw fileNotFound();
    if (row.attachment_count > 0) throw fileAttached(row.attachment_count);
    await repo.markDeleted(trx, id);
    await ctx.enqueueCleanUp(trx);
  });
}

import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { NotModified } from '../../core/etag.ts';
import { requestDb } from '../../core/idempotency.ts';
import { NoContent, Page, problemResponses } from '../../core/schemas.ts';
import { authenticate, currentUser } from '../auth/index.ts';
import { CONTENT_SECURITY_HEADERS, sendContent } from './content-reply.ts';
import type { FilesContext } from './context.ts';
import { fileMissing, linkInvalid, notMultipart } from './errors.ts';
import * as files from './file-service.ts';
import {
  Binary,
  ContentHeaders,
  ContentQuery,
  CreateDirectUpload,
  CreateLink,
  DirectUpload,
  FileListQuery,
  FileObject,
  FileParams,
  Link,
  UploadBody,
  UploadQuery,
} from './schemas.ts';
import * as uploads from './upload-service.ts';

/** /api/files: upload, read, link and delete files. */

const tags = { tags: ['files'], security: [{ bearerAuth: [] }] };

/** Content requests carrying a signed link need no credentials: the signature is the permission. */
async function authenticateUnlessSigned(request: FastifyRequest, reply: FastifyReply) {
  if ((request.query as { signature?: unknown }).signature === undefined) await authenticate(request, reply);
}

export const fileRoutes: FastifyPluginAsyncTypebox<{ ctx: FilesContext }> = async (app, { ctx }) => {
  app.post(
    '/files',
    {
      onRequest: authenticate,
      schema: {
        ...tags,
        summary: 'Upload one file (multipart/form-data, field `file`), streamed to storage while hashed',
        consumes: ['multipart/form-data'],
        body: UploadBody,
        querystring: UploadQuery,
        response: { 201: FileObject, ...problemResponses(400, 401, 413, 415, 422) },
      },
    },
    async (request, reply) => {
      if (!request.isMultipart()) throw notMultipart();
      const part = await request.file();
      if (!part) throw fileMissing();
      const file = await uploads.uploadFile(ctx, currentUser(request).id, request.query.purpose, part);
      return reply.code(201).header('location', `/api/files/${file.id}`).send(file);
    },
  );

  app.post(
    '/files/uploads',
    {
      onRequest: authenticate,
      config: { idempotent: true },
      schema: {
        ...tags,
        summary: 'Start a direct upload to the bucket (s3 driver): PUT to the URL, then POST …/complete',
        body: CreateDirectUpload,
        response: { 201: DirectUpload, ...problemResponses(401, 409, 413, 415, 422) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(
          await uploads.createDirectUpload(
            { ...ctx, db: requestDb(request, ctx.db) },
            currentUser(request).id,
            request.body,
          ),
        ),
  );

  app.post(
    '/files/:id/complete',
    {
      onRequest: authenticate,
      schema: {
        ...tags,
        summary: 'Finish a direct upload: checks, sniffs and hashes what was PUT',
        params: FileParams,
        response: { 200: FileObject, ...problemResponses(401, 404, 409, 413, 415, 422) },
      },
    },
    async (request) => uploads.completeDirectUpload(ctx, currentUser(request).id, request.params.id),
  );

  app.get(
    '/files',
    {
      onRequest: authenticate,
      schema: {
        ...tags,
        summary: 'My files, newest first (keyset pages)',
        querystring: FileListQuery,
        response: { 200: Page(FileObject), ...problemResponses(401, 422) },
      },
    },
    async (request) => files.listFiles(ctx, currentUser(request).id, request.query),
  );

  app.get(
    '/files/:id',
    {
      onRequest: authenticate,
      schema: {
        ...tags,
        summary:
          "A file's metadata (yours, or attached to something you may read, e.g. a message of your conversation)",
        params: FileParams,
        response: { 200: FileObject, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => files.getFile(ctx, currentUser(request).id, request.params.id),
  );

  app.get(
    '/files/:id/content',
    {
      onRequest: authenticateUnlessSigned,
      config: { securityHeaders: CONTENT_SECURITY_HEADERS },
      schema: {
        ...tags,
        summary: "A file's bytes, or an image preview (`width`); with a signed link, no credentials",
        params: FileParams,
        querystring: ContentQuery,
        headers: ContentHeaders,
        response: {
          200: Binary('The bytes'),
          206: Binary('The requested range of the bytes'),
          304: NotModified,
          ...problemResponses(401, 403, 404, 416, 422),
        },
      },
    },
    async (request, reply) => {
      const { id } = request.params;
      const { width, download = false, expires, signature } = request.query;
      if (signature !== undefined) {
        if (expires === undefined) throw linkInvalid();
        const { content, ttl } = await files.signedContent(ctx, { fileId: id, width, expires, signature });
        return sendContent(request, reply, content, {
          cacheControl: `private, max-age=${ttl}`,
          forceDownload: download,
        });
      }
      const content = await files.readerContent(ctx, currentUser(request).id, id, width);
      return sendContent(request, reply, content, { cacheControl: 'private, no-cache', forceDownload: download });
    },
  );

  app.post(
    '/files/:id/link',
    {
      onRequest: authenticate,
      schema: {
        ...tags,
        summary: 'A time-limited URL to the file (or a preview) that needs no credentials',
        params: FileParams,
        body: CreateLink,
        response: { 201: Link, ...problemResponses(401, 404, 422) },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await files.createLink(ctx, currentUser(request).id, request.params.id, request.body)),
  );

  app.delete(
    '/files/:id',
    {
      onRequest: authenticate,
      schema: {
        ...tags,
        summary: 'Delete a file (409 while attached to anything)',
        params: FileParams,
        response: { 204: NoContent, ...problemResponses(401, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      await files.deleteFile(ctx, currentUser(request).id, request.params.id);
      return reply.code(204).send(null);
    },
  );
};

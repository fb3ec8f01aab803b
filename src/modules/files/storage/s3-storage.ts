import type { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { S3StorageConfig } from '../../../config.ts';
import { BlobMissingError, type BlobStorage } from './storage.ts';

// lib-storage holds up to partSize × queueSize of an upload in memory: 5 MiB (S3's smallest part)
// twice keeps a 100 MB upload's footprint near 10 MiB while two parts are in flight.
const PART_SIZE = 5 * 2 ** 20;
const QUEUE_SIZE = 2;

/**
 * Blobs in an S3-compatible bucket (AWS S3, Cloudflare R2, DigitalOcean Spaces, MinIO) through the
 * official SDK. Uploads stream through lib-storage: one PUT for a small body, a multipart upload
 * for a large one, aborted if the body fails. An object appears only when its upload completes, so
 * a cut-off upload leaves nothing under its key.
 */
export function s3Storage(config: S3StorageConfig): BlobStorage {
  const client = new S3Client({
    region: config.region,
    ...(config.endpoint ? { endpoint: config.endpoint } : {}),
    forcePathStyle: config.forcePathStyle,
    ...(config.credentials ? { credentials: config.credentials } : {}),
    // The SDK's default CRC32 checksums on every PUT are not understood by every S3-compatible
    // store; ask for them only where the operation requires one.
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
  });
  const Bucket = config.bucket;
  const absent = (error: unknown) =>
    error instanceof NoSuchKey ||
    error instanceof NotFound ||
    (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404;

  return {
    driver: 's3',

    async put(key, body, meta) {
      const upload = new Upload({
        client,
        params: { Bucket, Key: key, Body: body, ContentType: meta.contentType },
        partSize: PART_SIZE,
        queueSize: QUEUE_SIZE,
        leavePartsOnError: false,
      });
      // A failing body must end the upload, and its error (a 413, say) is the one to report, not
      // lib-storage's "aborted" that follows from it.
      let bodyError: unknown;
      body.once('error', (error) => {
        bodyError = error;
        void upload.abort().catch(() => {});
      });
      try {
        await upload.done();
      } catch (error) {
        throw bodyError ?? error;
      }
    },

    async get(key, range) {
      try {
        const result = await client.send(
          new GetObjectCommand({ Bucket, Key: key, ...(range ? { Range: `bytes=${range.start}-${range.end}` } : {}) }),
        );
        return result.Body as Readable;
      } catch (error) {
        if (absent(error)) throw new BlobMissingError(key);
        throw error;
      }
    },

    async size(key) {
      try {
        return (await client.send(new HeadObjectCommand({ Bucket, Key: key }))).ContentLength;
      } catch (error) {
        if (absent(error)) return undefined;
        throw error;
      }
    },

    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },

    presignedGet(key, options) {
      return getSignedUrl(
        client,
        new GetObjectCommand({
          Bucket,
          Key: key,
          // The bucket serves these headers for this URL only, whatever the object was stored with.
          ResponseContentType: options.contentType,
          ResponseContentDisposition: options.contentDisposition,
          ResponseCacheControl: options.cacheControl,
        }),
        { expiresIn: options.expiresInSeconds },
      );
    },

    presignedPut(key, options) {
      // Content-Length and Content-Type are signed: the store refuses a PUT of any other size or type.
      return getSignedUrl(
        client,
        new PutObjectCommand({ Bucket, Key: key, ContentType: options.contentType, ContentLength: options.size }),
        { expiresIn: options.expiresInSeconds, signableHeaders: new Set(['content-length', 'content-type']) },
      );
    },

    async close() {
      client.destroy();
    },
  };
}

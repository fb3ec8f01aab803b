import type { Readable } from 'node:stream';

/** A byte range of a blob, both ends inclusive (as HTTP's `Range` counts). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Where file bytes live. Keys are ours (`files/<uuid>`, `previews/<uuid>/<width>`), never a
 * user's name. Every driver makes a key visible only once all of its bytes are written, so a
 * reader never sees half a blob and a crash mid-write leaves nothing under a real key.
 */
export interface BlobStorage {
  readonly driver: 'local' | 's3';
  /** Streams `body` to `key`; rejects (and leaves nothing under `key`) if `body` fails. */
  put(key: string, body: Readable, meta: { contentType: string; size?: number }): Promise<void>;
  /** The blob's bytes, or one range of them; throws `BlobMissingError` when there is none. */
  get(key: string, range?: ByteRange): Promise<Readable>;
  /** The blob's size, or undefined when there is none. */
  size(key: string): Promise<number | undefined>;
  /** Removes the blob; a missing one is not an error (clean-up may run twice). */
  delete(key: string): Promise<void>;
  /**
   * Removes what interrupted writes left that is older than `before`; returns how many. Local disk
   * only: an S3 multipart upload cut off by a crash is invisible and is ended by the bucket's
   * AbortIncompleteMultipartUpload lifecycle rule (README).
   */
  sweepIncomplete?(before: Date): Promise<number>;
  /** A URL that reads the blob without our API, when the store can sign one (S3). */
  presignedGet?(key: string, options: PresignedGetOptions): Promise<string>;
  /** A URL that lets a client PUT exactly `size` bytes to `key`, when the store can sign one (S3). */
  presignedPut?(key: string, options: { contentType: string; size: number; expiresInSeconds: number }): Promise<string>;
  close(): Promise<void>;
}

export interface PresignedGetOptions {
  expiresInSeconds: number;
  contentType: string;
  contentDisposition: string;
  cacheControl: string;
}

export class BlobMissingError extends Error {
  override name = 'BlobMissingError';
  constructor(key: string) {
    super(`No blob under ${key}`);
  }
}

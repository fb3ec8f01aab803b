import { createHash } from 'node:crypto';
import { badRequest } from '../../core/errors.ts';

/**
 * Reading an upload once, as it arrives: its first bytes for sniffing, then every byte counted and
 * hashed on its way to storage, so a file is never held whole in memory and an over-limit stream
 * is refused at the first byte past the limit.
 */

type Chunks = AsyncIterator<Buffer | Uint8Array>;

/** The next chunk; a failure of the client's stream (cut off, malformed multipart) is a 400, not ours. */
async function nextChunk(source: Chunks): Promise<Buffer | undefined> {
  let result: IteratorResult<Buffer | Uint8Array>;
  try {
    result = await source.next();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 413) throw error;
    throw Object.assign(badRequest('MALFORMED_UPLOAD', 'The upload stream ended before the file was complete'), {
      cause: error,
    });
  }
  return result.done ? undefined : Buffer.from(result.value.buffer, result.value.byteOffset, result.value.byteLength);
}

/** Reads at least `bytes` (fewer if the stream ends first) off the front of `source`. */
export async function readHead(source: Chunks, bytes: number): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let length = 0;
  while (length < bytes) {
    const chunk = await nextChunk(source);
    if (!chunk) break;
    chunks.push(chunk);
    length += chunk.length;
  }
  return Buffer.concat(chunks);
}

export interface Measured {
  /** `head` and then the rest of `source`, each chunk counted and hashed as it passes. */
  chunks(): AsyncGenerator<Buffer>;
  readonly size: number;
  /** Hex SHA-256 of everything that passed; call once the chunks are consumed. */
  sha256(): string;
  /** The first `keepBytes` (or a little more) that passed: enough for an image header. */
  prefix(): Buffer;
}

export function measure(
  head: Buffer,
  source: Chunks,
  options: { limit: number; overLimit: () => Error; keepBytes: number },
): Measured {
  const hash = createHash('sha256');
  const kept: Buffer[] = [];
  let keptBytes = 0;
  let size = 0;
  return {
    async *chunks() {
      let chunk: Buffer | undefined = head;
      while (chunk) {
        size += chunk.length;
        if (size > options.limit) throw options.overLimit();
        hash.update(chunk);
        if (keptBytes < options.keepBytes) {
          kept.push(chunk);
          keptBytes += chunk.length;
        }
        yield chunk;
        chunk = await nextChunk(source);
      }
    },
    get size() {
      return size;
    },
    sha256: () => hash.digest('hex'),
    prefix: () => Buffer.concat(kept),
  };
}

/** Runs `measured` to its end without storing it (hashing an object already in storage). */
export async function drain(measured: Measured): Promise<void> {
  for await (const _chunk of measured.chunks()) {
    // counted and hashed by the generator
  }
}

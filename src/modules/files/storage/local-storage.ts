import { randomUUID } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, readdir, rename, rm, stat } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { BlobMissingError, type BlobStorage, type ByteRange } from './storage.ts';

const KEY = /^[a-z]+(?:\/[A-Za-z0-9-]+)+$/;

/**
 * Blobs as files under one folder. A write goes to `.incoming/<random>`, is flushed to disk, and
 * only then renamed to its key: rename is atomic within a file system, so a reader (or a crash)
 * sees the whole file or none. What a crash leaves in `.incoming` is swept by the clean-up.
 */
export function localStorage(root: string): BlobStorage {
  const incoming = join(root, '.incoming');
  const pathOf = (key: string) => {
    // Keys are built by us; refusing anything else keeps a bug from ever writing outside `root`.
    if (!KEY.test(key)) throw new Error(`invalid storage key ${key}`);
    return join(root, key);
  };
  const missing = (error: unknown) => (error as NodeJS.ErrnoException).code === 'ENOENT';

  return {
    driver: 'local',

    async put(key, body) {
      const target = pathOf(key);
      const temp = join(incoming, randomUUID());
      await mkdir(incoming, { recursive: true });
      try {
        await pipeline(body, createWriteStream(temp, { flags: 'wx', flush: true }));
        await mkdir(dirname(target), { recursive: true });
        await rename(temp, target);
      } catch (error) {
        await rm(temp, { force: true });
        throw error;
      }
    },

    async get(key, range?: ByteRange) {
      const stream = createReadStream(pathOf(key), range ? { start: range.start, end: range.end } : {});
      // Open before answering, so a missing blob is an error here, not a broken response later.
      await new Promise<void>((resolve, reject) => {
        stream.once('open', () => resolve());
        stream.once('error', (error) => reject(missing(error) ? new BlobMissingError(key) : error));
      });
      return stream;
    },

    async size(key) {
      try {
        return (await stat(pathOf(key))).size;
      } catch (error) {
        if (missing(error)) return undefined;
        throw error;
      }
    },

    async delete(key) {
      await rm(pathOf(key), { force: true });
    },

    async sweepIncomplete(before) {
      let removed = 0;
      let names: string[];
      try {
        names = await readdir(incoming);
      } catch (error) {
        if (missing(error)) return 0;
        throw error;
      }
      for (const name of names) {
        const path = join(incoming, name);
        const info = await stat(path).catch(() => undefined);
        if (info && info.mtime < before) {
          await rm(path, { force: true });
          removed += 1;
        }
      }
      return removed;
    },

    async close() {},
  };
}

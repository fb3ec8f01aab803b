import { randomBytes } from 'node:crypto';
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { CLEAN_UP_CRON, CLEAN_UP_SINGLETON, cleanUpJob } from './cleanup-job.ts';
import type { FilesContext } from './context.ts';
import { fileRoutes } from './file-routes.ts';
import { type FileStore, fileStore } from './file-store.ts';
import { filesMetrics } from './metrics.ts';
import { localStorage } from './storage/local-storage.ts';
import { s3Storage } from './storage/s3-storage.ts';
import type { BlobStorage } from './storage/storage.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Reading and storing files from other modules' code (the notes export and import). */
    files: FileStore;
  }
}

/** Builds the blob storage STORAGE_DRIVER names. */
export function createStorage(config: FastifyInstance['config']['files']['storage']): BlobStorage {
  return config.driver === 's3' ? s3Storage(config) : localStorage(config.dir);
}

/**
 * Files: streaming uploads to local disk or an S3-compatible bucket, downloads with ranges and
 * previews, signed links, quotas, and attachments other modules make through index.ts.
 * Not encapsulated (fastify-plugin), so `app.files` exists for the modules registered after it;
 * its routes (and multipart parsing) stay in their own context under `/api`.
 */
export const filesModule = fp(
  async (app: FastifyInstance) => {
    const config = app.config.files;
    const storage = createStorage(config.storage);
    app.addHook('onClose', () => storage.close());
    if (app.config.env === 'production' && config.storage.driver === 'local' && !config.linkSecret) {
      app.log.warn('FILES_LINK_SECRET is unset: signed file links stop working when this process restarts');
    }
    const cleanUp = cleanUpJob(storage, config.orphanHours);
    app.jobs.register(cleanUp);
    app.jobs.schedule(cleanUp, CLEAN_UP_CRON, {});
    const ctx: FilesContext = {
      db: app.db,
      storage,
      config: { ...config, linkSecret: config.linkSecret ?? randomBytes(32) },
      publicUrl: app.config.publicUrl,
      metrics: filesMetrics(app.metrics, app.db),
      previewsInFlight: new Map(),
      enqueueCleanUp: async (trx) => {
        await app.jobs.enqueue(trx, cleanUp, {}, { singletonKey: CLEAN_UP_SINGLETON });
      },
    };

    app.decorate('files', fileStore(ctx));

    await app.register(
      async (routes) => {
        // Encapsulated here: only the files routes accept multipart bodies.
        await routes.register(multipart, {
          // One file per request, and next to nothing else: the file's own limit is enforced while it
          // streams (upload-stream.ts); this one stops busboy just past it in any case.
          limits: { files: 1, fileSize: config.maxBytes + 1, fields: 5, fieldSize: 1024, parts: 10, headerPairs: 100 },
        });
        await routes.register(fileRoutes, { ctx });
      },
      { prefix: '/api' },
    );
  },
  { name: 'files' },
);

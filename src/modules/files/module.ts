import { randomBytes } from 'node:crypto';
import multipart from '@fastify/multipart';
import type { FastifyInstance } from 'fastify';
import { CLEAN_UP_CRON, CLEAN_UP_SINGLETON, cleanUpJob } from './cleanup-job.ts';
import type { FilesContext } from './context.ts';
import { registerFileStorage } from './file-bytes.ts';
import { fileRoutes } from './file-routes.ts';
import { filesMetrics } from './metrics.ts';
import { localStorage } from './storage/local-storage.ts';
import { s3Storage } from './storage/s3-storage.ts';
import type { BlobStorage } from './storage/storage.ts';

/** Builds the blob storage STORAGE_DRIVER names. */
export function createStorage(config: FastifyInstance['config']['files']['storage']): BlobStorage {
  return config.driver === 's3' ? s3Storage(config) : localStorage(config.dir);
}

/**
 * Files: streaming uploads to local disk or an S3-compatible bucket, downloads with ranges and
 * previews, signed links, quotas, and attachments other modules make through index.ts.
 * Registered under `/api` in app.ts.
 */
export async function filesModule(app: FastifyInstance) {
  const config = app.config.files;
  const storage = createStorage(config.storage);
  app.addHook('onClose', () => storage.close());
  registerFileStorage(app.db, storage);
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

  // Encapsulated here: only the files routes accept multipart bodies.
  await app.register(multipart, {
    // One file per request, and next to nothing else: the file's own limit is enforced while it
    // streams (upload-stream.ts); this one stops busboy just past it in any case.
    limits: { files: 1, fileSize: config.maxBytes + 1, fields: 5, fieldSize: 1024, parts: 10, headerPairs: 100 },
  });
  await app.register(fileRoutes, { ctx });
}

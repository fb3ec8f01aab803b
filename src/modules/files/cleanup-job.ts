import { defineJob, type JobDefinition } from '../../core/jobs/index.ts';
import { cleanUpFiles } from './cleanup-service.ts';
import type { BlobStorage } from './storage/storage.ts';

/** Every hour, at a minute no other schedule of ours uses. */
export const CLEAN_UP_CRON = '17 * * * *';
/** One clean-up queued at a time: deletes in a burst share one run. */
export const CLEAN_UP_SINGLETON = 'files.clean-up';

export type CleanUpPayload = Record<string, never>;

/**
 * The files clean-up as a durable job: scheduled hourly (once across instances), and enqueued in
 * the transaction of every delete so a deleted file's blobs go within seconds, not within the hour.
 * Each run is safe to repeat, so pg-boss's retries after a crash only finish the work.
 */
export function cleanUpJob(storage: BlobStorage, orphanHours: number): JobDefinition<CleanUpPayload> {
  return defineJob<CleanUpPayload>(
    'files.clean-up',
    async (_payload, { app, log }) => {
      const report = await cleanUpFiles({ db: app.db, storage, orphanHours });
      log.info({ report }, 'files clean-up');
    },
    { concurrency: 1, timeoutSeconds: 900, retryLimit: 3 },
  );
}

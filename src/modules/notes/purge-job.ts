import { defineJob } from '../../core/jobs/index.ts';
import { purgeTrash } from './trash-service.ts';

/** Once a day, at a minute no other schedule of ours uses. */
export const PURGE_CRON = '41 3 * * *';

/** The trash purge as a durable job, scheduled daily (once across instances). */
export const purgeJob = defineJob<Record<string, never>>(
  'notes.purge-trash',
  async (_payload, { app, log }) => {
    await purgeTrash({ db: app.db, config: app.config.notes }, log);
  },
  { concurrency: 1, timeoutSeconds: 900, retryLimit: 3 },
);

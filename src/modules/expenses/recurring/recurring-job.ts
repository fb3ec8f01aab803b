import { DateTime } from 'luxon';
import { defineJob } from '../../../core/jobs/index.ts';
import { runDueRules } from './recurring-runner.ts';

/** Every hour at minute 7 (no other schedule of ours uses it), and right after a rule is made. */
export const RECURRING_CRON = '7 * * * *';

/** `today` (UTC) may be given, to run as of a date: tests simulate downtime with it. */
export type RecurringPayload = { today?: string };

export const recurringJob = defineJob<RecurringPayload>(
  'expenses.recurring',
  async ({ today }, { app, log }) => {
    const report = await runDueRules(app.db, today ?? (DateTime.utc().toISODate() as string));
    if (report.created || report.failed.length) log.info({ report }, 'expenses recurring run');
  },
  { concurrency: 1, timeoutSeconds: 900, retryLimit: 3 },
);

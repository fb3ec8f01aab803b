import { defineJob } from '../../../core/jobs/index.ts';
import { submitAllOverdue } from './answer-service.ts';

/**
 * Submits attempts whose time ran out: a student who closed the tab is still graded, on what they
 * had saved. Scheduled every minute (module.ts); pg-boss runs each tick once across instances.
 */
export const submitOverdueJob = defineJob<Record<string, never>>(
  'quiz.submit-overdue',
  async (_payload, { app, log }) => {
    const submitted = await submitAllOverdue(app.db);
    if (submitted) log.info({ submitted }, 'quiz: submitted overdue attempts');
  },
  { retryLimit: 2, concurrency: 1 },
);

import type { FastifyBaseLogger, FastifyInstance } from 'fastify';

/** What a job's handler gets besides its payload. */
export interface JobContext {
  /** The app that runs the job: its database, mailer, config. */
  app: FastifyInstance;
  jobId: string;
  /** 0 on the first run, then 1, 2 … on each retry. */
  attempt: number;
  /**
   * Aborted when the job outlives its timeout or the worker shuts down past its grace period: pass
   * it to fetch/undici/the AWS SDK so the work stops with the job.
   */
  signal: AbortSignal;
  log: FastifyBaseLogger;
}

export type JobHandler<P> = (payload: P, context: JobContext) => Promise<void>;

export interface JobOptions {
  /** Retries after the first run fails; when they are spent the job is `failed` (dead). Default 5. */
  retryLimit?: number;
  /** The first retry's delay; each further one doubles it (with jitter). Default 10 s. */
  retryDelaySeconds?: number;
  /** No retry waits longer than this. Default 1 hour. */
  retryDelayMaxSeconds?: number;
  /** A run longer than this is aborted and counts as a failure. Default 60 s. */
  timeoutSeconds?: number;
  /** Runs of this job at the same time, per instance. Default 2. */
  concurrency?: number;
}

export interface JobDefinition<P extends object> {
  readonly name: string;
  readonly handler: JobHandler<P>;
  readonly options: Required<JobOptions>;
}

const DEFAULTS: Required<JobOptions> = {
  retryLimit: 5,
  retryDelaySeconds: 10,
  retryDelayMaxSeconds: 3600,
  timeoutSeconds: 60,
  concurrency: 2,
};

// pg-boss's rule for queue names, checked here so a typo fails at import, not at boot.
const NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/**
 * Declares a kind of background work, e.g. `defineJob('auth.verification-mail', send, { retryLimit: 8 })`.
 * Pure: it only describes the job. A module's plugin passes it to `app.jobs.register()` so workers
 * run it, and enqueues it with `app.jobs.enqueue(trx, job, payload)`.
 *
 * The payload is stored as JSON and shown to admins for failed jobs: put ids in it, never secrets
 * (a mail job carries the user id and issues its token when it runs).
 */
export function defineJob<P extends object>(
  name: string,
  handler: JobHandler<P>,
  options: JobOptions = {},
): JobDefinition<P> {
  if (!NAME.test(name)) throw new Error(`job name "${name}" must be 1-100 letters, digits, '.', '_' or '-'`);
  return Object.freeze({ name, handler, options: { ...DEFAULTS, ...options } });
}

import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { type Kysely, sql } from 'kysely';
import { fromKysely, fromPglite, type Job, PgBoss } from 'pg-boss';
import type { Config } from '../../config.ts';
import { embeddedEngineOf } from '../../db/database.ts';
import type { JobDefinition } from './definitions.ts';
import { jobMetrics } from './metrics.ts';

/** pg-boss's tables live in a schema of their own, out of the way of the app's migrations. */
export const JOBS_SCHEMA = 'pgboss';
// LISTEN/NOTIFY wakes a worker the moment a job commits; polling finds what no notification
// announces (a retry or delayed job coming due), so it keeps this pace even while NOTIFY works.
const POLL_SECONDS = 2;
const START_RETRY_MS = 5_000;
const IDLE_POLL_MS = 20;

export interface EnqueueOptions {
  /** Run no earlier than this. */
  startAfter?: Date;
  /** At most one queued job with this key (e.g. one pending mail per user); a duplicate returns null. */
  singletonKey?: string;
}

export interface Jobs {
  /** Runs these jobs' workers on this instance. Call while the app is being built (a module's plugin). */
  register(...jobs: JobDefinition<never>[]): void;
  /**
   * Sends `job` on a cron schedule (UTC; `*\/5 * * * *`). Every instance may declare the same
   * schedule: pg-boss claims each tick once in the database, so one job is sent per tick however
   * many instances run.
   */
  schedule<P extends object>(job: JobDefinition<P>, cron: string, payload: P): void;
  /**
   * Stores a job in the same transaction as the change that causes it: pass the Kysely transaction
   * (`trx`), and a rollback takes the job with it, a commit always has it. Returns the job id.
   */
  enqueue<P extends object>(
    // biome-ignore lint/suspicious/noExplicitAny: any Kysely handle or transaction, whatever its schema.
    trx: Kysely<any>,
    job: JobDefinition<P>,
    payload: P,
    options?: EnqueueOptions,
  ): Promise<string | null>;
  /**
   * Resolves once no job is waiting to run now or running (or after `timeoutMs`): for tests, and
   * for scripts that must not exit with work pending.
   */
  idle(timeoutMs?: number): Promise<void>;
  /** The queue itself, for core code (admin routes, tests); modules use the methods above. */
  readonly boss: PgBoss;
}

declare module 'fastify' {
  interface FastifyInstance {
    jobs: Jobs;
  }
}

/**
 * Durable background jobs on the app's own PostgreSQL (or embedded PGlite), through pg-boss.
 * See the README's "Background jobs" for the design; the public API is in ./index.ts.
 */
export const jobsPlugin = fp(
  async (app: FastifyInstance, { config }: { config: Config }) => {
    const boss = createBoss(app, config);
    boss.on('error', (error) => app.log.warn({ err: error }, 'job queue error'));
    boss.on('warning', (warning) => app.log.warn({ warning }, 'job queue warning'));

    const metrics = jobMetrics(app.metrics, app.db, JOBS_SCHEMA);
    const definitions = new Map<string, JobDefinition<never>>();
    const schedules: Array<{ name: string; cron: string; payload: object }> = [];
    let started = false;

    const jobs: Jobs = {
      boss,
      register(...list) {
        if (started) throw new Error('jobs must be registered while the app is being built');
        for (const job of list) definitions.set(job.name, job);
      },
      schedule(job, cron, payload) {
        if (started) throw new Error('schedules must be declared while the app is being built');
        if (!definitions.has(job.name)) throw new Error(`schedule of unregistered job "${job.name}"`);
        schedules.push({ name: job.name, cron, payload });
      },
      async idle(timeoutMs = 30_000) {
        const names = [...definitions.keys()];
        if (!names.length) return;
        for (const until = Date.now() + timeoutMs; Date.now() < until; await sleep(IDLE_POLL_MS)) {
          const { rows } = await sql<{ pending: boolean }>`
            select exists (select 1 from ${sql.table(`${JOBS_SCHEMA}.job`)}
              where name in (${sql.join(names)})
                and (state = 'active' or (state in ('created', 'retry') and start_after <= now()))) as pending`.execute(
            app.db,
          );
          if (!rows[0]?.pending) return;
        }
      },
      async enqueue(trx, job, payload, options = {}) {
        if (!definitions.has(job.name)) throw new Error(`enqueue of unregistered job "${job.name}"`);
        return boss.send(job.name, payload, { ...options, db: fromKysely(trx) });
      },
    };
    app.decorate('jobs', jobs);

    // Starting (which installs or migrates pg-boss's schema) needs the database. An instance that
    // boots during an outage still starts serving (503s) and starts its queue when the database is
    // back, like the rest of the app.
    let closing = false;
    let retryTimer: NodeJS.Timeout | undefined;
    const working = new Set<string>();
    const startQueue = async () => {
      await boss.start();
      for (const job of definitions.values()) {
        const queue = queueOptions(job);
        await boss.createQueue(job.name, queue);
        await boss.updateQueue(job.name, queue);
        // Reads the queue into pg-boss's cache now: an enqueue inside a transaction must not have
        // to look it up, since on PGlite that lookup would wait behind the transaction it is in.
        await boss.findJobs(job.name, { limit: 1 });
        if (working.has(job.name)) continue;
        working.add(job.name);
        await boss.work(
          job.name,
          {
            localConcurrency: job.options.concurrency,
            batchSize: 1,
            pollingIntervalSeconds: POLL_SECONDS,
            notifyPollingIntervalSeconds: POLL_SECONDS,
          },
          async ([run]: Job<object>[]) => runJob(app, job, run as Job<never>, metrics),
        );
      }
      for (const { name, cron, payload } of schedules) await boss.schedule(name, cron, payload, { tz: 'UTC' });
    };
    const startOrRetry = async () => {
      try {
        await startQueue();
      } catch (error) {
        app.log.warn({ err: error }, `job queue could not start; retrying in ${START_RETRY_MS} ms`);
        if (!closing) retryTimer = setTimeout(startOrRetry, START_RETRY_MS).unref();
      }
    };
    app.addHook('onReady', async () => {
      started = true;
      await startOrRetry();
    });

    // Stop taking jobs as soon as shutdown begins, in parallel with the HTTP drain; the running
    // ones get the shutdown bound to finish, after which pg-boss fails them back to `retry` for
    // another instance (or this one after a restart).
    let stopping: Promise<void> | undefined;
    const stop = () => {
      stopping ??= boss.stop({ graceful: true, close: true, timeout: Math.max(1000, config.shutdownTimeoutMs - 500) });
      return stopping;
    };
    app.addHook('preClose', async () => {
      closing = true;
      clearTimeout(retryTimer);
      stop().catch((error) => app.log.warn({ err: error }, 'job queue stop failed'));
    });
    app.addHook('onClose', async () => {
      await stop().catch(() => {});
    });
  },
  { name: 'jobs', dependencies: ['database', 'metrics'] },
);

function createBoss(app: FastifyInstance, config: Config): PgBoss {
  const common = {
    schema: JOBS_SCHEMA,
    useListenNotify: true,
    openTelemetry: { enabled: false },
    // The cron pass (claimed by one instance per interval) and the worker that turns its due ticks
    // into jobs: a tick is sent within about the sum of the two after it falls due.
    cronMonitorIntervalSeconds: config.jobsCronCheckSeconds,
    cronWorkerIntervalSeconds: Math.min(5, config.jobsCronCheckSeconds),
  };
  const engine = embeddedEngineOf(app.db);
  if (engine) return new PgBoss({ ...common, db: fromPglite(engine), backend: 'pglite' });
  if (config.database.kind !== 'postgres') throw new Error('no database for the job queue');
  // A small pool of its own (workers poll, LISTEN holds one), so a busy queue never takes the
  // connections requests need.
  return new PgBoss({
    ...common,
    connectionString: config.database.url,
    max: 3,
    application_name: 'groundwork-jobs',
    connectionTimeoutMillis: 5_000,
  });
}

function queueOptions(job: JobDefinition<never>) {
  const { retryLimit, retryDelaySeconds, retryDelayMaxSeconds, timeoutSeconds } = job.options;
  return {
    retryLimit,
    retryDelay: retryDelaySeconds,
    retryBackoff: true,
    retryDelayMax: retryDelayMaxSeconds,
    expireInSeconds: timeoutSeconds,
    notify: true,
  };
}

async function runJob(
  app: FastifyInstance,
  job: JobDefinition<never>,
  run: Job<never>,
  metrics: ReturnType<typeof jobMetrics>,
): Promise<void> {
  const log = app.log.child({ job: job.name, jobId: run.id, attempt: run.retryCount });
  const end = metrics.runDuration.startTimer({ queue: job.name });
  try {
    await job.handler(run.data, { app, jobId: run.id, attempt: run.retryCount, signal: run.signal, log });
    end({ outcome: 'completed' });
  } catch (error) {
    end({ outcome: 'failed' });
    metrics.failures.inc({ queue: job.name });
    log.warn({ err: error }, 'job failed');
    throw error;
  }
}

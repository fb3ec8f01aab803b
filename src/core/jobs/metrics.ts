import { type Kysely, sql } from 'kysely';
import { Counter, Gauge, Histogram, type Registry } from 'prom-client';

export interface JobMetrics {
  failures: Counter<'queue'>;
  runDuration: Histogram<'queue' | 'outcome'>;
}

const STATES = ['created', 'retry', 'active', 'failed'] as const;
const COUNT_TIMEOUT_MS = 1_000;

/**
 * Job metrics on the app's registry: runs and failures counted as they happen, and the queue's
 * depth by state read from the job table at scrape time (bounded, so a slow or unreachable
 * database leaves the last values rather than stalling `/metrics`).
 */
// biome-ignore lint/suspicious/noExplicitAny: reads pg-boss's own table, which the app's schema does not type.
export function jobMetrics(registry: Registry, db: Kysely<any>, schema: string): JobMetrics {
  const failures = new Counter({
    name: 'jobs_failures_total',
    help: 'Job runs that failed (each failed attempt, retried or not), by queue',
    labelNames: ['queue'] as const,
    registers: [registry],
  });
  const runDuration = new Histogram({
    name: 'jobs_run_duration_seconds',
    help: 'Time a job run took, by queue and outcome (completed, failed)',
    labelNames: ['queue', 'outcome'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300],
    registers: [registry],
  });
  new Gauge({
    name: 'jobs',
    help: 'Jobs stored by queue and state: created and retry are the queue depth, failed the dead ones kept',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      const counts = sql<{ name: string; state: string; count: number }>`
        select name, state::text as state, count(*)::int as count
        from ${sql.table(`${schema}.job`)}
        where state in (${sql.join(STATES.map((state) => sql`${state}::${sql.table(`${schema}.job_state`)}`))})
        group by name, state`.execute(db);
      const timeout = new Promise<null>((resolve) => setTimeout(resolve, COUNT_TIMEOUT_MS, null).unref());
      const result = await Promise.race([counts, timeout]).catch(() => null);
      if (!result) return;
      this.reset();
      for (const row of result.rows) this.set({ queue: row.name, state: row.state }, row.count);
    },
  });
  return { failures, runDuration };
}

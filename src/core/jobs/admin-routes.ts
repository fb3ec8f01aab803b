import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { onRequestHookHandler } from 'fastify';
import { type Kysely, sql } from 'kysely';
import { type Static, Type } from 'typebox';
import { cursorScope, decodeCursor, encodeCursor, timestampKey } from '../../lib/cursor.ts';
import { conflict, notFound } from '../errors.ts';
import { Id, Page, problemResponses, Timestamp } from '../schemas.ts';
import { JOBS_SCHEMA } from './plugin.ts';

const JobState = Type.Enum(['created', 'retry', 'active', 'completed', 'cancelled', 'failed'], {
  description: '`created`/`retry`: waiting; `active`: running; `failed`: retries spent (dead)',
});
type JobStateName = Static<typeof JobState>;

const JobView = Type.Object({
  id: Id,
  queue: Type.String(),
  state: JobState,
  payload: Type.Unknown({ description: 'The JSON the job was enqueued with' }),
  error: Type.Union([Type.String(), Type.Null()], { description: 'What the last failed run reported' }),
  attempts: Type.Integer({ description: 'Runs so far' }),
  retryLimit: Type.Integer(),
  createdAt: Timestamp,
  startedAt: Type.Union([Timestamp, Type.Null()]),
  finishedAt: Type.Union([Timestamp, Type.Null()]),
});

const JobListQuery = Type.Object({
  state: Type.Optional(JobState),
  queue: Type.Optional(Type.String({ minLength: 1, maxLength: 100, pattern: '^[A-Za-z0-9_.-]+$' })),
  limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
  cursor: Type.Optional(Type.String({ maxLength: 2048 })),
});

interface JobRow {
  id: string;
  name: string;
  state: JobStateName;
  data: unknown;
  output: unknown;
  retry_count: number;
  retry_limit: number;
  created_key: Date;
  started_on: Date | null;
  completed_on: Date | null;
}

const job = sql.table(`${JOBS_SCHEMA}.job`);
const COLUMNS = sql`id, name, state::text as state, data, output, retry_count, retry_limit,
  date_trunc('milliseconds', created_on) as created_key, started_on, completed_on`;

function toJobView(row: JobRow) {
  const output = row.output as { message?: unknown } | null;
  return {
    id: row.id,
    queue: row.name,
    state: row.state,
    payload: row.data,
    error: row.state === 'completed' || typeof output?.message !== 'string' ? null : output.message,
    // retry_count counts claims, so a job that has run once has 0 retries and 1 attempt.
    attempts: row.started_on ? row.retry_count + 1 : row.retry_count,
    retryLimit: row.retry_limit,
    createdAt: row.created_key.toISOString(),
    startedAt: row.started_on?.toISOString() ?? null,
    finishedAt: row.completed_on?.toISOString() ?? null,
  };
}

const tags = ['jobs'];
const security: Record<string, string[]>[] = [{ bearerAuth: [] }, { cookieAuth: [] }];

/**
 * Admin view of the job queue under `/api/admin`: list jobs (newest first, e.g. the dead ones with
 * `?state=failed`) and put a failed job back in the queue. `guard` is the app's admin check; it runs
 * on every route of this plugin in `onRequest`, so no credentials is a 401 before any validation.
 */
export const jobAdminRoutes: FastifyPluginAsyncTypebox<{ guard: onRequestHookHandler[] }> = async (app, { guard }) => {
  for (const hook of guard) app.addHook('onRequest', hook);
  // biome-ignore lint/suspicious/noExplicitAny: pg-boss's table is not part of the app's schema type.
  const db = app.db as unknown as Kysely<any>;

  app.get(
    '/jobs',
    {
      schema: {
        tags,
        summary: 'List background jobs, newest first, by state and queue (admin)',
        security,
        querystring: JobListQuery,
        response: { 200: Page(JobView), ...problemResponses(401, 403, 422) },
      },
    },
    async (request) => {
      const { state, queue, limit, cursor } = request.query;
      const scope = cursorScope({ list: 'jobs', state, queue });
      const after = cursor ? decodeCursor(cursor, scope, ['timestamp', 'uuid']) : undefined;
      const filters = [
        state ? sql`state = ${state}::${sql.table(`${JOBS_SCHEMA}.job_state`)}` : sql`true`,
        queue ? sql`name = ${queue}` : sql`true`,
        after
          ? sql`(date_trunc('milliseconds', created_on), id) < (${after[0]}::timestamptz, ${after[1]}::uuid)`
          : sql`true`,
      ];
      const { rows } = await sql<JobRow>`
        select ${COLUMNS} from ${job} where ${sql.join(filters, sql` and `)}
        order by date_trunc('milliseconds', created_on) desc, id desc limit ${limit + 1}`.execute(db);
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return {
        items: items.map(toJobView),
        nextCursor: rows.length > limit && last ? encodeCursor(scope, [timestampKey(last.created_key), last.id]) : null,
      };
    },
  );

  app.post(
    '/jobs/:id/retry',
    {
      schema: {
        tags,
        summary: 'Put a failed (dead) job back in its queue for one more attempt (admin)',
        security,
        params: Type.Object({ id: Id }),
        response: { 200: JobView, ...problemResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const find = () =>
        sql<JobRow>`select ${COLUMNS} from ${job} where id = ${request.params.id}::uuid`
          .execute(db)
          .then((result) => result.rows[0]);
      const found = await find();
      if (!found) throw notFound('JOB_NOT_FOUND', 'No job with this id');
      if (found.state !== 'failed')
        throw conflict('JOB_NOT_FAILED', `Only a failed job can be retried; this one is ${found.state}`);
      await app.jobs.boss.retry(found.name, found.id);
      const now = await find();
      // Another admin's retry (or the retention sweep) got there first.
      if (!now || now.state === 'failed') throw conflict('JOB_NOT_FAILED', 'The job changed state meanwhile');
      return toJobView(now);
    },
  );
};

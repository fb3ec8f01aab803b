import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { sql } from 'kysely';
import { Type } from 'typebox';
import { AppError } from './errors.ts';
import { problemResponses } from './schemas.ts';

const CHECK_TIMEOUT_MS = 2_000;

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), ms).unref()),
  ]);
}

const Health = Type.Object(
  {
    status: Type.Literal('ok'),
    checks: Type.Optional(
      Type.Record(Type.String(), Type.Union([Type.Literal('ok'), Type.Literal('degraded')]), {
        description: '`degraded`: Redis is away; the instance serves on, with per-instance limits (README)',
      }),
    ),
  },
  { examples: [{ status: 'ok', checks: { database: 'ok', redis: 'ok' } }] },
);

/**
 * `live` says the process is up (restart it if not); `ready` says it can serve traffic right now
 * (take it out of the load balancer if not), so it checks what a request needs: the database.
 * Redis, when configured, is reported but does not make an instance unready: without it every
 * instance still serves (rate limits fail open, log-in throttling falls back to each instance's
 * memory), and failing readiness on it would take every instance out at once.
 */
export const healthRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const noLimit = { rateLimit: false } as const;

  app.get(
    '/health/live',
    { config: noLimit, schema: { tags: ['health'], summary: 'Liveness', response: { 200: Health } } },
    async () => ({ status: 'ok' as const }),
  );

  app.get(
    '/health/ready',
    {
      config: noLimit,
      schema: {
        tags: ['health'],
        summary: 'Readiness: the database answers (Redis, when configured, is reported)',
        response: { 200: Health, ...problemResponses(503) },
      },
    },
    async (request) => {
      // First sign of a shutdown: the load balancer stops sending before connections are refused.
      if (app.draining) {
        throw new AppError(503, 'NOT_READY', 'Not ready: shutting down', { headers: { 'retry-after': '5' } });
      }
      const checks: Record<string, Promise<unknown>> = { database: sql`select 1`.execute(app.db) };
      if (app.redis) checks.redis = app.redis.ping();
      const failed: string[] = [];
      await Promise.all(
        Object.entries(checks).map(async ([name, check]) => {
          try {
            await withTimeout(check, CHECK_TIMEOUT_MS);
          } catch (error) {
            request.log.warn({ err: error, check: name }, 'readiness check failed');
            failed.push(name);
          }
        }),
      );
      if (failed.includes('database')) {
        throw new AppError(503, 'NOT_READY', 'Not ready: database unavailable', { headers: { 'retry-after': '5' } });
      }
      return {
        status: 'ok' as const,
        checks: Object.fromEntries(
          Object.keys(checks).map((name) => [name, failed.includes(name) ? ('degraded' as const) : ('ok' as const)]),
        ),
      };
    },
  );
};

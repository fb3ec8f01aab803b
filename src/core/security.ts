import cors from '@fastify/cors';
import rateLimit from '@fastify/rate-limit';
import underPressure from '@fastify/under-pressure';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import { AppError } from './errors.ts';
import { securityHeadersPlugin } from './security-headers.ts';

/**
 * Security headers, CORS from an allowlist, a global rate limit (shared through Redis when there
 * is one, so the limit holds across instances) and load shedding when the event loop falls behind.
 */
export const securityPlugin = fp(
  async (app: FastifyInstance, { config }: { config: Config }) => {
    await app.register(securityHeadersPlugin);

    await app.register(cors, {
      // An empty allowlist means no cross-origin browser access at all, never "any origin".
      origin: config.corsOrigins.length ? config.corsOrigins : false,
      credentials: true,
      methods: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'],
      exposedHeaders: ['ETag', 'Location', 'Retry-After', 'X-Request-Id'],
      maxAge: 600,
    });

    await app.register(rateLimit, {
      global: true,
      max: config.rateLimit.max,
      timeWindow: config.rateLimit.windowMs,
      ...(app.redis ? { redis: app.redis, nameSpace: config.rateLimit.redisPrefix } : {}),
      // If Redis is unreachable, serve the request rather than fail it: rate limiting is protection,
      // not a reason to be down.
      skipOnError: true,
      errorResponseBuilder: (_request, context) =>
        new AppError(
          context.statusCode,
          'RATE_LIMITED',
          `Too many requests; retry in ${Math.ceil(context.ttl / 1000)} seconds`,
        ),
    });

    await app.register(underPressure, {
      maxEventLoopDelay: config.maxEventLoopDelayMs,
      retryAfter: 5,
    });
  },
  { name: 'security', dependencies: ['redis'] },
);

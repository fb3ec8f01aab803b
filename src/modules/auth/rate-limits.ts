import type { FastifyInstance, FastifyRequest } from 'fastify';
import { rateLimited } from './errors.ts';
import { digestToken } from './tokens/opaque-tokens.ts';

/**
 * A limit on something other than the caller's IP (an email address, an account), as a
 * `preHandler` that runs after body validation. It counts in @fastify/rate-limit's store (Redis
 * when configured, so the limit holds across instances) and answers 429 with Retry-After.
 * The per-IP limit of the same routes is @fastify/rate-limit's own route config (`perIp`).
 */
export function limitBy(
  app: FastifyInstance,
  name: string,
  keyOf: (request: FastifyRequest) => string | undefined,
  options: { max: number; windowMs: number },
) {
  const limiter = app.createRateLimit({
    max: options.max,
    timeWindow: options.windowMs,
    // Digested: the store never holds an email address.
    keyGenerator: (request) => `${name}:${digestToken(keyOf(request) ?? '')}`,
  });
  return async (request: FastifyRequest): Promise<void> => {
    if (keyOf(request) === undefined) return;
    const result = await limiter(request);
    if (result.isAllowed || !result.isExceeded) return;
    throw rateLimited(result.ttlInSeconds);
  };
}

/** Route config for @fastify/rate-limit: this route's own per-IP limit, in place of the global one. */
export function perIp(app: FastifyInstance) {
  const { perIp: max, windowMs } = app.config.emailRateLimit;
  return { rateLimit: { max, timeWindow: windowMs } };
}

export const normalizedEmail = (email: string) => email.trim().toLowerCase();

import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Redis } from 'ioredis';
import type { Config } from '../config.ts';

declare module 'fastify' {
  interface FastifyInstance {
    /** Shared Redis client when `REDIS_URL` is set (state that must hold across instances), else null. */
    redis: Redis | null;
  }
}

export const redisPlugin = fp(
  async (app: FastifyInstance, { config }: { config: Config }) => {
    if (!config.redisUrl) {
      app.decorate('redis', null);
      return;
    }
    // Fail fast rather than queue: a request must not hang because Redis is away.
    const redis = new Redis(config.redisUrl, { connectTimeout: 2_000, maxRetriesPerRequest: 1, lazyConnect: true });
    redis.on('error', (error) => app.log.warn({ err: error }, 'redis connection error'));
    await redis.connect();
    app.addHook('onClose', async () => {
      // A connection already gone (Redis away) has nothing to say goodbye to.
      await redis.quit().catch(() => redis.disconnect());
    });
    app.decorate('redis', redis);
  },
  { name: 'redis' },
);

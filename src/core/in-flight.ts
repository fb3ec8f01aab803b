import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance, RouteHandlerMethod } from 'fastify';
import fp from 'fastify-plugin';

/**
 * Keeps the database (and Redis) open until every route handler has finished.
 *
 * Fastify's close waits for open connections, not for handlers: when a client hangs up mid-request
 * its connection is gone at once, but the handler behind it runs on, and it would meet a closed
 * database half-way through its work. Every handler is counted while it runs; on close, after the
 * server has stopped taking requests, this waits for the count to reach zero and then for any
 * background work those handlers queued, for at most SHUTDOWN_TIMEOUT_MS.
 */
export const inFlightPlugin = fp(
  async (app: FastifyInstance) => {
    let running = 0;
    let drained: (() => void) | undefined;

    app.addHook('onRoute', (route) => {
      const handler = route.handler as RouteHandlerMethod;
      route.handler = async function countedHandler(this: FastifyInstance, request, reply) {
        running++;
        try {
          return await handler.call(this, request, reply);
        } finally {
          running--;
          if (running === 0) drained?.();
        }
      };
    });

    // Registered after the database plugin, so it runs before they close. Bounded
    // by the shutdown timeout here too, for a close() that no process-level bound watches.
    app.addHook('onClose', async () => {
      if (running > 0) {
        const bound = app.config.shutdownTimeoutMs;
        const timedOut = await Promise.race([
          new Promise<false>((resolve) => (drained = () => resolve(false))),
          sleep(bound, true, { ref: false }),
        ]);
        if (timedOut) app.log.warn({ running }, `closing with handlers still running after ${bound} ms`);
      }
    });
  },
  { name: 'in-flight', dependencies: ['database'] },
);

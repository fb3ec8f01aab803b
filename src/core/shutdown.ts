import { setTimeout as sleep } from 'node:timers/promises';
import { promisify } from 'node:util';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** True from the moment shutdown begins: readiness answers 503, answers close their connection. */
    readonly draining: boolean;
    /** The first step of a graceful shutdown (server.ts runs it on SIGTERM, before `close()`). */
    drain(windowMs: number): Promise<void>;
  }
}

const POLL_MS = 50;

/**
 * Shutdown that drops no request.
 *
 * Closing a server the plain way refuses new connections and closes idle keep-alive ones at once:
 * a client that sent its next request on one of them in that instant, or whose connection was
 * still waiting to be accepted, gets a reset with no answer. Draining first: readiness turns 503
 * (the load balancer stops sending new work), every answer carries `Connection: close` (each open
 * connection ends after its next answer, on the client's side of the exchange), and the listener
 * stays open for the window so nothing already on its way is reset. `close()` then stops the
 * listener and closes whatever stayed idle the whole window.
 */
export const shutdownPlugin = fp(
  async (app: FastifyInstance) => {
    let draining = false;
    app.decorate('draining', { getter: () => draining });
    app.decorate('drain', async (windowMs: number) => {
      draining = true;
      const connections = promisify(app.server.getConnections.bind(app.server));
      // Over early when every connection has ended (a quiet instance, or a balancer that has
      // already moved on): a restart need not wait out the window for nothing.
      for (const until = Date.now() + windowMs; Date.now() < until; await sleep(POLL_MS, undefined, { ref: false })) {
        if (!app.server.listening || (await connections()) === 0) return;
      }
    });
    app.addHook('preClose', async () => {
      draining = true;
    });
    app.addHook('onSend', async (_request, reply, payload) => {
      if (draining) reply.header('connection', 'close');
      return payload;
    });
  },
  { name: 'shutdown' },
);

import { Server } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

declare module 'fastify' {
  interface FastifyInstance {
    /** True from the moment shutdown begins: readiness answers 503, answers close their connection. */
    readonly draining: boolean;
    /**
     * The first step of a graceful shutdown (server.ts runs it on SIGTERM, before `close()`): see
     * `drainConnections`.
     */
    drain(windowMs: number): Promise<void>;
  }
}

/**
 * Shutdown that drops no request.
 *
 * Closing a server the plain way closes its idle keep-alive connections at once, and a client
 * that sent its next request on one of them in that same instant gets a reset with no answer.
 * Draining instead: readiness turns 503 (the load balancer stops sending), the listening socket
 * closes (new connections are refused, which a client can retry elsewhere), and every answer from
 * then on carries `Connection: close`, so each keep-alive connection ends after its next answer, on
 * the client's side of the exchange. Only connections that stay idle for the whole window are
 * closed by `close()` afterwards.
 */
const ACCEPT_PENDING_MS = 50;

export const shutdownPlugin = fp(
  async (app: FastifyInstance) => {
    let draining = false;
    let closingConnections = false;
    app.decorate('draining', {
      getter: () => draining,
    });
    app.decorate('drain', async (windowMs: number) => {
      draining = true;
      if (!app.server.listening) return;
      // Connections the kernel has completed but the process not yet accepted (a busy event loop)
      // would be reset by closing the listener: one pass through the event loop's poll phase
      // accepts every one of them first, and they are answered like the rest. Answers start
      // saying `Connection: close` only in the same tick as the listener closes, so a client
      // that reconnects after one is refused, never caught half-accepted.
      await sleep(ACCEPT_PENDING_MS);
      closingConnections = true;
      const allClosed = new Promise<void>((resolve) => {
        // net.Server's own close: stop listening, call back when the last connection has ended.
        // (http.Server's close would also drop the idle keep-alive connections right away.)
        Server.prototype.close.call(app.server, () => resolve());
      });
      await Promise.race([allClosed, sleep(windowMs, undefined, { ref: false })]);
    });
    app.addHook('preClose', async () => {
      draining = true;
      closingConnections = true;
    });
    app.addHook('onSend', async (_request, reply, payload) => {
      if (closingConnections) reply.header('connection', 'close');
      return payload;
    });
  },
  { name: 'shutdown' },
);

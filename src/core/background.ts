import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

export interface Background {
  /** Runs `task` after the current request, logging (never throwing) its failure. */
  run(name: string, task: () => Promise<void>): void;
  /** Resolves once every task started so far has finished (tests, and shutdown). */
  idle(): Promise<void>;
}

declare module 'fastify' {
  interface FastifyInstance {
    background: Background;
  }
}

/**
 * Work that must not hold up a response: sending mail, and anything whose duration would reveal
 * something (a password-reset request does the same visible work whether or not the account
 * exists, and the real work afterwards). Shutdown waits for what is in flight.
 */
export const backgroundPlugin = fp(
  async (app: FastifyInstance) => {
    const pending = new Set<Promise<void>>();
    const background: Background = {
      run(name, task) {
        const promise: Promise<void> = new Promise<void>((resolve) => setImmediate(resolve))
          .then(task)
          .catch((error: unknown) => app.log.error({ err: error, task: name }, 'background task failed'))
          .finally(() => pending.delete(promise));
        pending.add(promise);
      },
      async idle() {
        while (pending.size) await Promise.allSettled([...pending]);
      },
    };
    app.decorate('background', background);
    app.addHook('preClose', () => background.idle());
  },
  { name: 'background' },
);

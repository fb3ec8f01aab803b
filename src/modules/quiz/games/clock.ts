import type { FastifyInstance } from 'fastify';

/**
 * This instance's timers for game deadlines. A timer only makes a deadline prompt: the deadline
 * itself is stored with the game and a pg-boss job is queued for it in the same transaction, so
 * if this process dies the job (run by any instance) ends the phase, and a starting instance
 * re-arms timers for the games in a timed phase. Whichever fires first acts; the others find the
 * phase already moved on (its sequence number changed) and do nothing.
 */
export class GameClock {
  readonly #timers = new Set<NodeJS.Timeout>();
  #stopped = false;
  fire: (gameId: string, phaseSeq: number) => Promise<unknown> = async () => {};
  readonly #log: FastifyInstance['log'];

  constructor(log: FastifyInstance['log']) {
    this.#log = log;
  }

  arm(gameId: string, phaseSeq: number, endsAt: Date): void {
    if (this.#stopped) return;
    const timer = setTimeout(
      () => {
        this.#timers.delete(timer);
        this.fire(gameId, phaseSeq).catch((error: unknown) =>
          // The queued job ends the phase anyway.
          this.#log.warn({ err: error, gameId }, 'quiz: a game deadline timer failed'),
        );
      },
      Math.max(0, endsAt.getTime() - Date.now()),
    );
    timer.unref();
    this.#timers.add(timer);
  }

  stop(): void {
    this.#stopped = true;
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
  }
}

// One clock per app (keyed by its database handle, which the app and its child contexts share).
const clocks = new WeakMap<object, GameClock>();

export function clockOf(app: FastifyInstance): GameClock {
  let clock = clocks.get(app.db);
  if (!clock) {
    clock = new GameClock(app.log);
    clocks.set(app.db, clock);
  }
  return clock;
}

import type { FastifyInstance } from 'fastify';
import { authenticate } from '../auth/index.ts';
import { attemptRoutes } from './attempts/attempt-routes.ts';
import { submitOverdueJob } from './attempts/overdue-job.ts';
import { clockOf } from './games/clock.ts';
import { drive, GAME_TOPICS, gameDeadlineJob } from './games/driver.ts';
import { findGame, playerIds, timedGames } from './games/game-repository.ts';
import { hostCommandRoutes, hostRoutes } from './games/game-routes.ts';
import { playerOrUser } from './games/player-auth.ts';
import { playerRoutes } from './games/player-routes.ts';
import { questionRoutes } from './questions/question-routes.ts';
import { quizRoutes } from './quiz-routes.ts';
import { statsRoutes } from './stats/stats-routes.ts';
import { transferRoutes } from './transfer/transfer-routes.ts';

/**
 * Quizzes: a question bank, self-paced attempts whose time the server keeps, and live hosted
 * games. Registered under `/api` in app.ts. docs/quiz.md describes it.
 */
const REARM_RETRY_MS = 5_000;

export async function quizModule(app: FastifyInstance) {
  app.jobs.register(submitOverdueJob, gameDeadlineJob);
  app.jobs.schedule(submitOverdueJob, '* * * * *', {});

  // A game's events go to its host and its players (a player's realtime identity is their id).
  app.realtime.defineTopic(GAME_TOPICS, {
    async audience(db, userId, gameId) {
      const game = await findGame(db, gameId);
      if (!game) return null;
      const audience = [game.host_id, ...(await playerIds(db, gameId))];
      return audience.includes(userId) ? audience : null;
    },
  });

  // Deadlines: this instance's timers end phases on time; the queued jobs are the durable backstop.
  const clock = clockOf(app);
  clock.fire = (gameId, phaseSeq) => drive(app, gameId, { kind: 'clock', phaseSeq });
  // An instance that boots during a database outage still starts (and answers 503) like the rest
  // of the app: re-arming waits for the database, and meanwhile the queued jobs end the phases.
  let retry: NodeJS.Timeout | undefined;
  const rearm = async (): Promise<void> => {
    try {
      for (const game of await timedGames(app.db)) {
        if (game.phase_ends_at) clock.arm(game.id, game.phase_seq, game.phase_ends_at);
      }
    } catch (error) {
      app.log.warn({ err: error }, `live game timers not re-armed; retrying in ${REARM_RETRY_MS} ms`);
      retry = setTimeout(rearm, REARM_RETRY_MS).unref();
    }
  };
  app.addHook('onReady', rearm);
  app.addHook('onClose', async () => {
    clearTimeout(retry);
    clock.stop();
  });

  await app.register(async (authenticated) => {
    // Authors, students and hosts have accounts: 401 comes before validation.
    authenticated.addHook('onRequest', authenticate);
    await authenticated.register(quizRoutes);
    await authenticated.register(questionRoutes);
    await authenticated.register(attemptRoutes);
    await authenticated.register(hostRoutes);
    await authenticated.register(statsRoutes);
    await authenticated.register(transferRoutes);
  });
  await app.register(async (either) => {
    either.addHook('onRequest', playerOrUser);
    await either.register(hostCommandRoutes);
  });
  await app.register(playerRoutes);
}

import type { FastifyInstance } from 'fastify';
import { authenticate } from '../auth/index.ts';
import { attemptRoutes } from './attempts/attempt-routes.ts';
import { submitOverdueJob } from './attempts/overdue-job.ts';
import { questionRoutes } from './questions/question-routes.ts';
import { quizRoutes } from './quiz-routes.ts';

/**
 * Quizzes: a question bank, self-paced attempts whose time the server keeps, and live hosted
 * games. Registered under `/api` in app.ts. docs/quiz.md describes it.
 */
export async function quizModule(app: FastifyInstance) {
  app.jobs.register(submitOverdueJob);
  app.jobs.schedule(submitOverdueJob, '* * * * *', {});
  await app.register(async (authenticated) => {
    // Authors and students have accounts: 401 comes before validation.
    authenticated.addHook('onRequest', authenticate);
    await authenticated.register(quizRoutes);
    await authenticated.register(questionRoutes);
    await authenticated.register(attemptRoutes);
  });
}

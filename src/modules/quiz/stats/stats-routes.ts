import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problemResponses } from '../../../core/schemas.ts';
import { currentUser } from '../../auth/index.ts';
import { QuizParams } from '../schemas.ts';
import { QuizStats } from './schemas.ts';
import { quizStats } from './stats-service.ts';

export const statsRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/quizzes/:id/stats',
    {
      schema: {
        tags: ['quizzes'],
        security: [{ bearerAuth: [] }],
        summary: 'Statistics of your quiz: score distribution; per question facility, discrimination, options, time',
        params: QuizParams,
        response: { 200: QuizStats, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => quizStats(app.db, currentUser(request).id, request.params.id),
  );
};

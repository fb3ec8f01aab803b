import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requestDb } from '../../../core/idempotency.ts';
import { problemResponses } from '../../../core/schemas.ts';
import { currentUser } from '../../auth/index.ts';
import { Answer } from '../questions/schemas.ts';
import { QuizParams } from '../schemas.ts';
import * as answers from './answer-service.ts';
import * as service from './attempt-service.ts';
import { AnswerParams, Attempt, AttemptParams, MyAttempts } from './schemas.ts';

/** Self-paced attempts: start, read, answer, submit. Only the student who started one sees it. */

const tags = { tags: ['quiz attempts'], security: [{ bearerAuth: [] }] };

export const attemptRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/quizzes/:id/attempts',
    {
      config: { idempotent: true },
      schema: {
        ...tags,
        summary: 'Start an attempt (201), or resume the one in progress (200)',
        description: 'The deadline is fixed now by the server: the time limit from now, or the quiz’s close if sooner.',
        params: QuizParams,
        response: { 200: Attempt, 201: Attempt, ...problemResponses(401, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { created, attempt } = await service.startAttempt(
        requestDb(request, app.db),
        currentUser(request).id,
        request.params.id,
      );
      if (created) reply.header('location', `/api/attempts/${attempt.id}`);
      return reply.code(created ? 201 : 200).send(attempt);
    },
  );

  app.get(
    '/quizzes/:id/attempts',
    {
      schema: {
        ...tags,
        summary: 'Your attempts at a quiz and your grade (by the quiz’s grading method)',
        params: QuizParams,
        response: { 200: MyAttempts, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => service.myAttempts(app.db, currentUser(request).id, request.params.id),
  );

  app.get(
    '/attempts/:id',
    {
      schema: {
        ...tags,
        summary:
          'Your attempt: its questions (no answer keys), your answers, and once submitted your marks and the review the quiz allows',
        params: AttemptParams,
        response: { 200: Attempt, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => service.getAttempt(app.db, currentUser(request).id, request.params.id),
  );

  app.put(
    '/attempts/:id/answers/:questionId',
    {
      schema: {
        ...tags,
        summary: 'Save your answer to a question (the same answer twice changes nothing)',
        description: 'After the deadline (and a 2 s grace) the answer is refused: 409 `DEADLINE_PASSED`.',
        params: AnswerParams,
        body: Answer,
        response: { 200: Attempt, ...problemResponses(401, 404, 409, 422) },
      },
    },
    async (request) =>
      answers.saveAnswer(app.db, currentUser(request).id, request.params.id, request.params.questionId, request.body),
  );

  app.post(
    '/attempts/:id/submit',
    {
      schema: {
        ...tags,
        summary: 'Submit the attempt for grading (once)',
        params: AttemptParams,
        response: { 200: Attempt, ...problemResponses(401, 404, 409, 422) },
      },
    },
    async (request) => answers.submitAttempt(app.db, currentUser(request).id, request.params.id),
  );
};

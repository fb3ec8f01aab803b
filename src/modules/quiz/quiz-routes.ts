import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requestDb } from '../../core/idempotency.ts';
import { NoContent, problemResponses } from '../../core/schemas.ts';
import { currentUser } from '../auth/index.ts';
import * as service from './quiz-service.ts';
import { CreateQuiz, Quiz, QuizPage, QuizParams, QuizQuery, UpdateQuiz } from './schemas.ts';

/** /api/quizzes: a quiz's settings. Its questions are under /api/quizzes/{id}/questions. */

const tags = { tags: ['quizzes'], security: [{ bearerAuth: [] }] };

export const quizRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/quizzes',
    {
      config: { idempotent: true },
      schema: {
        ...tags,
        summary: 'Create a quiz (a draft until it has questions and is published)',
        body: CreateQuiz,
        response: { 201: Quiz, ...problemResponses(401, 409, 422) },
      },
    },
    async (request, reply) => {
      const quiz = await service.createQuiz(requestDb(request, app.db), currentUser(request).id, request.body);
      reply.header('location', `/api/quizzes/${quiz.id}`);
      return reply.code(201).send(quiz);
    },
  );

  app.get(
    '/quizzes',
    {
      schema: {
        ...tags,
        summary: 'Your quizzes, newest first',
        querystring: QuizQuery,
        response: { 200: QuizPage, ...problemResponses(401, 422) },
      },
    },
    async (request) => service.listQuizzes(app.db, currentUser(request).id, request.query),
  );

  app.get(
    '/quizzes/:id',
    {
      schema: {
        ...tags,
        summary: 'A quiz: yours, or a published one (its settings; questions are shown in an attempt)',
        params: QuizParams,
        response: { 200: Quiz, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => service.getQuiz(app.db, currentUser(request).id, request.params.id),
  );

  app.patch(
    '/quizzes/:id',
    {
      schema: {
        ...tags,
        summary: 'Change your quiz’s settings or publish it',
        params: QuizParams,
        body: UpdateQuiz,
        response: { 200: Quiz, ...problemResponses(401, 404, 409, 422) },
      },
    },
    async (request) => service.updateQuiz(app.db, currentUser(request).id, request.params.id, request.body),
  );

  app.delete(
    '/quizzes/:id',
    {
      schema: {
        ...tags,
        summary: 'Delete your quiz, with its attempts and games',
        params: QuizParams,
        response: { 204: NoContent, ...problemResponses(401, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      await service.deleteQuiz(app.db, currentUser(request).id, request.params.id);
      return reply.code(204).send(null);
    },
  );
};

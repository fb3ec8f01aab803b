import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requestDb } from '../../../core/idempotency.ts';
import { NoContent, problemResponses } from '../../../core/schemas.ts';
import { currentUser } from '../../auth/index.ts';
import { QuizParams } from '../schemas.ts';
import * as service from './question-service.ts';
import { CreateQuestion, Question, QuestionList, QuestionParams, UpdateQuestion } from './schemas.ts';

/** /api/quizzes/{id}/questions: the question bank of a quiz, with answer keys (owner only). */

const tags = { tags: ['quizzes'], security: [{ bearerAuth: [] }] };

export const questionRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/quizzes/:id/questions',
    {
      config: { idempotent: true },
      schema: {
        ...tags,
        summary: 'Add a question at the end',
        params: QuizParams,
        body: CreateQuestion,
        response: { 201: Question, ...problemResponses(401, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const question = await service.createQuestion(
        requestDb(request, app.db),
        currentUser(request).id,
        request.params.id,
        request.body,
      );
      reply.header('location', `/api/quizzes/${question.quizId}/questions/${question.id}`);
      return reply.code(201).send(question);
    },
  );

  app.get(
    '/quizzes/:id/questions',
    {
      schema: {
        ...tags,
        summary: 'The questions in order, with their answer keys',
        params: QuizParams,
        response: { 200: QuestionList, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => service.listQuestions(app.db, currentUser(request).id, request.params.id),
  );

  app.get(
    '/quizzes/:id/questions/:questionId',
    {
      schema: {
        ...tags,
        summary: 'One question',
        params: QuestionParams,
        response: { 200: Question, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) =>
      service.getQuestion(app.db, currentUser(request).id, request.params.id, request.params.questionId),
  );

  app.patch(
    '/quizzes/:id/questions/:questionId',
    {
      schema: {
        ...tags,
        summary: 'Edit a question (a new version: attempts already taken keep the old one), move it, reweigh it',
        params: QuestionParams,
        body: UpdateQuestion,
        response: { 200: Question, ...problemResponses(401, 404, 409, 422) },
      },
    },
    async (request) =>
      service.updateQuestion(
        app.db,
        currentUser(request).id,
        request.params.id,
        request.params.questionId,
        request.body,
      ),
  );

  app.delete(
    '/quizzes/:id/questions/:questionId',
    {
      schema: {
        ...tags,
        summary: 'Remove a question (attempts and games that asked it keep it)',
        params: QuestionParams,
        response: { 204: NoContent, ...problemResponses(401, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      await service.deleteQuestion(app.db, currentUser(request).id, request.params.id, request.params.questionId);
      return reply.code(204).send(null);
    },
  );
};

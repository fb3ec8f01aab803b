import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requestDb } from '../../../core/idempotency.ts';
import { problemResponses } from '../../../core/schemas.ts';
import { currentUser } from '../../auth/index.ts';
import { Quiz, QuizParams } from '../schemas.ts';
import { GiftImport, GiftImported, QuizDocument } from './schemas.ts';
import * as service from './transfer-service.ts';

/** Import and export of quizzes: JSON (lossless) and Moodle GIFT. */

const tags = { tags: ['quizzes'], security: [{ bearerAuth: [] }] };

export const transferRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/quizzes/:id/export',
    {
      schema: {
        ...tags,
        summary: 'Your quiz with its questions and answer keys, as a JSON document to import elsewhere',
        params: QuizParams,
        response: { 200: QuizDocument, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => service.exportJson(app.db, currentUser(request).id, request.params.id),
  );

  app.post(
    '/quizzes/import',
    {
      config: { idempotent: true },
      schema: {
        ...tags,
        summary: 'Create a draft quiz from an exported JSON document',
        body: QuizDocument,
        response: { 201: Quiz, ...problemResponses(401, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const quiz = await service.importJson(requestDb(request, app.db), currentUser(request).id, request.body);
      reply.header('location', `/api/quizzes/${quiz.id}`);
      return reply.code(201).send(quiz);
    },
  );

  app.get(
    '/quizzes/:id/export.gift',
    {
      schema: {
        ...tags,
        summary: 'Your quiz’s questions as Moodle GIFT text (ordering and poll questions become comments)',
        params: QuizParams,
        produces: ['text/plain'],
        response: { 200: Type.String({ description: 'GIFT text' }), ...problemResponses(401, 404, 422) },
      },
    },
    async (request, reply) => {
      const text = await service.exportGiftText(app.db, currentUser(request).id, request.params.id);
      return reply
        .type('text/plain; charset=utf-8')
        .header('content-disposition', `attachment; filename="quiz-${request.params.id}.gift.txt"`)
        .send(text);
    },
  );

  app.post(
    '/quizzes/:id/import.gift',
    {
      schema: {
        ...tags,
        summary: 'Append the questions of a Moodle GIFT text to your quiz',
        description:
          'Essay, matching and missing-word questions are skipped and listed; a syntax error is a 400 `GIFT_SYNTAX`.',
        params: QuizParams,
        body: GiftImport,
        response: { 200: GiftImported, ...problemResponses(400, 401, 404, 409, 422) },
      },
    },
    async (request) => service.importGiftText(app.db, currentUser(request).id, request.params.id, request.body.text),
  );
};

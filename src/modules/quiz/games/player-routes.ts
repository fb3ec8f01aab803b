import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { problemResponses } from '../../../core/schemas.ts';
import { currentUser } from '../../auth/index.ts';
import { joinGame, submitAnswer } from './game-service.ts';
import { gameView } from './game-view-service.ts';
import { playerOrUser, requirePlayer } from './player-auth.ts';
import { AnswerAck, GameParams, GameView, Joined, JoinGame, PlayerHeaders, SubmitAnswer } from './schemas.ts';

/** The players' side of live games: join with the code, answer, and (re)load the current state. */

const tags = { tags: ['quiz games'] };

export const playerRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/games/join',
    {
      schema: {
        ...tags,
        summary: 'Join a game with its 6-digit code and a nickname (no account needed)',
        body: JoinGame,
        response: { 201: Joined, ...problemResponses(404, 409, 422) },
      },
    },
    async (request, reply) => reply.code(201).send(await joinGame(app, request.body)),
  );

  app.post(
    '/games/:id/answers',
    {
      onRequest: requirePlayer,
      schema: {
        ...tags,
        summary: 'Answer the open question, once, before its deadline (server clock)',
        headers: PlayerHeaders,
        security: [{ playerToken: [] }],
        params: GameParams,
        body: SubmitAnswer,
        response: { 201: AnswerAck, ...problemResponses(401, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const player = request.player as NonNullable<typeof request.player>;
      const ack = await submitAnswer(app, player, request.params.id, request.body.questionIndex, request.body.answer);
      return reply.code(201).send(ack);
    },
  );

  app.get(
    '/games/:id/state',
    {
      onRequest: playerOrUser,
      schema: {
        ...tags,
        summary: 'The game now — for its host (bearer token) or a player (X-Player-Token), e.g. after reconnecting',
        headers: PlayerHeaders,
        params: GameParams,
        security: [{ bearerAuth: [] }, { playerToken: [] }],
        response: { 200: GameView, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) =>
      gameView(
        app.db,
        request.params.id,
        request.player ? { player: request.player } : { hostId: currentUser(request).id },
      ),
  );
};

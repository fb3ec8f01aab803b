import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { requestDb } from '../../../core/idempotency.ts';
import { problemResponses } from '../../../core/schemas.ts';
import { currentUser } from '../../auth/index.ts';
import { hostOnly } from '../errors.ts';
import { drive } from './driver.ts';
import { createGame } from './game-service.ts';
import { getGame } from './game-view-service.ts';
import { gameResults, gameResultsCsv } from './results-service.ts';
import { CreateGame, Game, GameParams, GameResults } from './schemas.ts';
import { toGame } from './views.ts';

/** The host's side of live games: open one from a quiz, run it phase by phase, read the results. */

const tags = { tags: ['quiz games'], security: [{ bearerAuth: [] }] };

/** Routes for the host, behind `authenticate`. */
export const hostRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/games',
    {
      config: { idempotent: true },
      schema: {
        ...tags,
        summary: 'Host a live game of your quiz: it opens in the lobby with a 6-digit join code',
        body: CreateGame,
        response: { 201: Game, ...problemResponses(401, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const game = await createGame(app, requestDb(request, app.db), currentUser(request).id, request.body);
      reply.header('location', `/api/games/${game.id}`);
      return reply.code(201).send(game);
    },
  );

  app.get(
    '/games/:id',
    {
      schema: {
        ...tags,
        summary: 'Your game',
        params: GameParams,
        response: { 200: Game, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => getGame(app, currentUser(request).id, request.params.id),
  );

  app.get(
    '/games/:id/results',
    {
      schema: {
        ...tags,
        summary: 'Leaderboard (ranked by the tie-break) and every answer',
        params: GameParams,
        response: { 200: GameResults, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => gameResults(app.db, currentUser(request).id, request.params.id),
  );

  app.get(
    '/games/:id/results.csv',
    {
      schema: {
        ...tags,
        summary: 'The leaderboard as CSV: one row per player, with the points of each question',
        params: GameParams,
        produces: ['text/csv'],
        response: { 200: Type.String({ description: 'text/csv' }), ...problemResponses(401, 404, 422) },
      },
    },
    async (request, reply) => {
      const csv = await gameResultsCsv(app.db, currentUser(request).id, request.params.id);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="game-${request.params.id}.csv"`)
        .send(csv);
    },
  );
};

/** advance and end: behind `playerOrUser`, so a player trying them is told 403, not 401. */
export const hostCommandRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const command = (kind: 'advance' | 'end', summary: string) =>
    app.post(
      `/games/:id/${kind}`,
      {
        schema: {
          ...tags,
          summary,
          params: GameParams,
          response: { 200: Game, ...problemResponses(401, 403, 404, 409, 422) },
        },
      },
      async (request) => {
        if (request.player) throw hostOnly();
        return toGame(await drive(app, request.params.id, { kind, hostId: currentUser(request).id }));
      },
    );
  command('advance', 'Move the game to its next phase (host only; 409 once finished)');
  command('end', 'End the game now (host only)');
};

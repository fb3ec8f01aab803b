import assert from 'node:assert/strict';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { as, type TestUser } from '../../helpers/users.ts';

/** Hosting and playing live games through HTTP, for the game tests. */

export interface TestPlayer {
  gameId: string;
  playerId: string;
  nickname: string;
  token: string;
}

export async function hostGame(
  app: FastifyInstance,
  host: TestUser,
  quizId: string,
  settings: Record<string, unknown> = {},
) {
  const res = await as(app, host)('POST', '/api/games', { quizId, ...settings });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: string; code: string; state: string; questionCount: number };
}

export async function join(app: FastifyInstance, code: string, nickname: string): Promise<TestPlayer> {
  const res = await app.inject({ method: 'POST', url: '/api/games/join', payload: { code, nickname } });
  assert.equal(res.statusCode, 201, res.body);
  return res.json();
}

/** Requests as a player (their token in X-Player-Token). */
export function asPlayer(app: FastifyInstance, player: TestPlayer) {
  return (method: 'GET' | 'POST', url: string, payload?: unknown): Promise<LightMyRequestResponse> =>
    app.inject({
      method,
      url,
      headers: { 'x-player-token': player.token },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
}

export const answer = (app: FastifyInstance, player: TestPlayer, questionIndex: number, value: unknown) =>
  asPlayer(app, player)('POST', `/api/games/${player.gameId}/answers`, { questionIndex, answer: value });

export async function advance(app: FastifyInstance, host: TestUser, gameId: string, expected: string) {
  const res = await as(app, host)('POST', `/api/games/${gameId}/advance`);
  assert.equal(res.statusCode, 200, res.body);
  assert.equal(res.json().state, expected);
  return res.json();
}

export async function stateOf(app: FastifyInstance, host: TestUser, gameId: string) {
  const res = await as(app, host)('GET', `/api/games/${gameId}/state`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json();
}

/** Polls the game until it reaches `state` (phases the clock ends). */
export async function waitForState(
  app: FastifyInstance,
  host: TestUser,
  gameId: string,
  state: string,
  timeoutMs = 15_000,
) {
  for (const until = Date.now() + timeoutMs; Date.now() < until; ) {
    const view = await stateOf(app, host, gameId);
    if (view.state === state) return view;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  assert.fail(`game ${gameId} did not reach ${state}`);
}

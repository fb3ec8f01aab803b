import type { FastifyInstance } from 'fastify';
import type { Db } from '../../../db/database.ts';
import { databaseNow } from '../attempts/attempt-repository.ts';
import { gameNotFound } from '../errors.ts';
import { phaseData } from './driver.ts';
import * as repo from './game-repository.ts';
import type { GameViewDto } from './schemas.ts';
import { LEADERBOARD_TOP, leaderboard, toGame } from './views.ts';

/**
 * The current state of a game, for the host or for a player who (re)connects: the same data the
 * phase's event carried, plus the player's own standing. Never an answer key before the reveal.
 */
export async function gameView(
  db: Db,
  gameId: string,
  viewer: { hostId: string } | { player: repo.PlayerIdentity },
): Promise<GameViewDto> {
  const game =
    'hostId' in viewer ? await repo.findHostedGame(db, viewer.hostId, gameId) : await repo.findGame(db, gameId);
  if (!game || ('player' in viewer && viewer.player.game_id !== gameId)) throw gameNotFound();
  const [players, now] = await Promise.all([repo.playersOf(db, gameId), databaseNow(db)]);
  const data = (await phaseData(db, game)) as Record<string, unknown>;
  const ranked = leaderboard(players);
  let me: GameViewDto['me'] = null;
  if ('player' in viewer) {
    const mine = ranked.find((p) => p.playerId === viewer.player.id);
    const answer =
      game.question_index >= 0 ? await repo.findAnswer(db, viewer.player.id, game.question_index) : undefined;
    const revealed = ['reveal', 'leaderboard', 'finished'].includes(game.state);
    me = {
      playerId: viewer.player.id,
      nickname: viewer.player.nickname,
      score: mine?.score ?? 0,
      rank: mine?.rank ?? ranked.length,
      answered: answer !== undefined,
      lastPoints: revealed ? (answer?.points ?? 0) : null,
    };
  }
  const showBoard = ['reveal', 'leaderboard', 'finished'].includes(game.state);
  return {
    id: game.id,
    state: game.state,
    questionIndex: game.question_index,
    questionCount: game.question_count,
    phaseEndsAt: game.phase_ends_at?.toISOString() ?? null,
    serverTime: now.toISOString(),
    playerCount: players.length,
    question: (data.question as GameViewDto['question']) ?? null,
    reveal: (data.reveal as GameViewDto['reveal']) ?? null,
    leaderboard: showBoard ? (game.state === 'finished' ? ranked : ranked.slice(0, LEADERBOARD_TOP)) : [],
    me,
  };
}

export async function getGame(app: FastifyInstance, hostId: string, gameId: string) {
  const game = await repo.findHostedGame(app.db, hostId, gameId);
  if (!game) throw gameNotFound();
  return toGame(game);
}

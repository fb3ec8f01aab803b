import type { Db } from '../../../db/database.ts';
import { gameNotFound } from '../errors.ts';
import type { Answer } from '../questions/schemas.ts';
import * as repo from './game-repository.ts';
import { leaderboard, toGame } from './views.ts';

/** A game's results for its host: the final leaderboard and every answer; as JSON or CSV. */

export async function gameResults(db: Db, hostId: string, gameId: string) {
  const game = await repo.findHostedGame(db, hostId, gameId);
  if (!game) throw gameNotFound();
  const [players, answers] = await Promise.all([repo.playersOf(db, gameId), repo.allAnswers(db, gameId)]);
  return {
    game: toGame(game),
    leaderboard: leaderboard(players),
    answers: answers.map((a) => ({
      playerId: a.player_id,
      questionIndex: a.question_index,
      answer: a.answer as Answer,
      fraction: a.fraction,
      points: a.points,
      elapsedMs: a.elapsed_ms,
    })),
  };
}

/** RFC 4180 field: quoted when it holds a comma, quote or line break; a leading =+-@ is defused for spreadsheets. */
function field(value: string | number): string {
  let text = String(value);
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(text)) text = `'${text}`;
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** One row per player in rank order: totals, then the points of each question. */
export async function gameResultsCsv(db: Db, hostId: string, gameId: string): Promise<string> {
  const { game, leaderboard: board, answers } = await gameResults(db, hostId, gameId);
  const points = new Map(answers.map((a) => [`${a.playerId}:${a.questionIndex}`, a.points]));
  const questions = Array.from({ length: game.questionCount }, (_, i) => i);
  const header = ['rank', 'nickname', 'score', 'correct', 'total_time_ms', ...questions.map((i) => `q${i + 1}_points`)];
  const rows = board.map((p) => [
    p.rank,
    p.nickname,
    p.score,
    p.correctCount,
    p.totalTimeMs,
    ...questions.map((i) => points.get(`${p.playerId}:${i}`) ?? ''),
  ]);
  return `${[header, ...rows].map((row) => row.map(field).join(',')).join('\r\n')}\r\n`;
}

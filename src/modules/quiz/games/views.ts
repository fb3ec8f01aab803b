import { playerView } from '../questions/player-view.ts';
import type { Answer, QuestionBody } from '../questions/schemas.ts';
import type { GameAnswerRow, GameRow, PlayerRow } from './game-repository.ts';
import { rank } from './ranking.ts';
import type { GameDto, LeaderboardEntry } from './schemas.ts';

/** What hosts and players are shown of a game: the one place rows become its API objects and event data. */

export const LEADERBOARD_TOP = 10;

export function toGame(row: GameRow): GameDto {
  return {
    id: row.id,
    quizId: row.quiz_id,
    code: row.code,
    state: row.state,
    questionIndex: row.question_index,
    questionCount: row.question_count,
    readSeconds: row.read_seconds,
    answerSeconds: row.answer_seconds,
    speedScoring: row.speed_scoring,
    streakBonus: row.streak_bonus,
    createdAt: row.created_at.toISOString(),
    finishedAt: row.finished_at?.toISOString() ?? null,
  };
}

export function leaderboard(players: readonly PlayerRow[]): LeaderboardEntry[] {
  return rank(players).map((p) => ({
    rank: p.rank,
    playerId: p.id,
    nickname: p.nickname,
    score: p.score,
    correctCount: p.correct_count,
    totalTimeMs: p.total_time_ms,
  }));
}

/** The question as players see it while it is open: the game's seed fixes the option order for everyone. */
export const openQuestion = (game: GameRow, questionId: string, body: QuestionBody) =>
  playerView(questionId, body, game.seed, true);

/** How many chose each option (or gave each distinct answer): shown from the reveal on. */
export function distribution(answers: readonly GameAnswerRow[]): Record<string, number> {
  const counts: Record<string, number> = {};
  const add = (key: string) => {
    counts[key] = (counts[key] ?? 0) + 1;
  };
  for (const { answer } of answers) {
    const a = answer as Answer & Record<string, unknown>;
    if (typeof a.optionId === 'string') add(a.optionId);
    else if (Array.isArray(a.optionIds)) for (const id of a.optionIds as string[]) add(id);
    else if (Array.isArray(a.order)) add((a.order as string[]).join('>'));
    else if ('text' in a) add(String(a.text).trim().toLowerCase());
    else add(String(a.value));
  }
  return counts;
}

import type { FastifyInstance } from 'fastify';
import { defineJob } from '../../../core/jobs/index.ts';
import type { Emit } from '../../../core/realtime/plugin.ts';
import type { Db, Trx } from '../../../db/database.ts';
import { databaseNow } from '../attempts/attempt-repository.ts';
import { gameNotFound, wrongPhase } from '../errors.ts';
import type { QuestionBody } from '../questions/schemas.ts';
import type { GameState } from '../tables.ts';
import { clockOf } from './clock.ts';
import * as repo from './game-repository.ts';
import { nextPhase, type Phase } from './machine.ts';
import { STREAK_CAP, STREAK_STEP } from './points.ts';
import { distribution, LEADERBOARD_TOP, leaderboard, openQuestion } from './views.ts';

/**
 * Drives games through their phases. Every transition runs in one transaction holding the game's
 * row lock (`lockGame`), checks it is still wanted (the phase it was meant for has not moved on:
 * `phase_seq`), writes the new phase with its deadline, queues the deadline's job and records the
 * phase's event — all or nothing. That lock is the single driver: however many instances' timers,
 * jobs and hosts race, each transition happens exactly once.
 */

export const GAME_TOPICS = 'game';
export const gameTopic = (gameId: string) => `${GAME_TOPICS}:${gameId}`;

export type Trigger =
  | { kind: 'advance'; hostId: string }
  | { kind: 'end'; hostId: string }
  /** The phase's deadline (a timer or the job), for the phase numbered `phaseSeq`. */
  | { kind: 'clock'; phaseSeq: number }
  /** The last player answered. */
  | { kind: 'all_answered'; phaseSeq: number };

export const gameDeadlineJob = defineJob<{ gameId: string; phaseSeq: number }>(
  'quiz.game-deadline',
  async ({ gameId, phaseSeq }, { app }) => {
    await drive(app, gameId, { kind: 'clock', phaseSeq });
  },
  { retryLimit: 10, retryDelaySeconds: 1, retryDelayMaxSeconds: 10 },
);

export const audienceOf = async (trx: Trx, game: repo.GameRow) => [
  game.host_id,
  ...(await repo.playerIds(trx, game.id)),
];

export async function drive(app: FastifyInstance, gameId: string, trigger: Trigger): Promise<repo.GameRow> {
  let armed: { seq: number; endsAt: Date } | null = null;
  const game = await app.realtime.withEvents(app.db, async (trx, emit) => {
    const current = await repo.lockGame(trx, gameId);
    if (!current) throw gameNotFound();
    if ((trigger.kind === 'advance' || trigger.kind === 'end') && current.host_id !== trigger.hostId)
      throw gameNotFound();
    if (trigger.kind === 'clock' || trigger.kind === 'all_answered') {
      if (current.phase_seq !== trigger.phaseSeq) return current;
      const now = await databaseNow(trx);
      // A timer on a clock a little ahead of the database's: wait out the rest.
      if (trigger.kind === 'clock' && current.phase_ends_at && now < current.phase_ends_at) {
        armed = { seq: current.phase_seq, endsAt: current.phase_ends_at };
        return current;
      }
      if (trigger.kind === 'all_answered') {
        const [answers, players] = await Promise.all([
          repo.countAnswers(trx, gameId, current.question_index),
          repo.countPlayers(trx, gameId),
        ]);
        if (current.state !== 'answering' || answers < players) return current;
      }
    }
    let target: Phase | null =
      trigger.kind === 'end'
        ? { state: 'finished', questionIndex: current.question_index }
        : nextPhase({ state: current.state, questionIndex: current.question_index }, current.question_count);
    if (!target || current.state === 'finished') throw wrongPhase(current.state, 'a game that is not finished');
    // No read time: the question opens for answers at once.
    if (target.state === 'question' && current.read_seconds === 0) target = { ...target, state: 'answering' };
    const next = await enter(app, trx, emit, current, target);
    if (next.phase_ends_at) armed = { seq: next.phase_seq, endsAt: next.phase_ends_at };
    return next;
  });
  const deadline = armed as { seq: number; endsAt: Date } | null;
  if (deadline) clockOf(app).arm(gameId, deadline.seq, deadline.endsAt);
  return game;
}

async function enter(app: FastifyInstance, trx: Trx, emit: Emit, game: repo.GameRow, target: Phase) {
  const now = await databaseNow(trx);
  if (game.state === 'answering') {
    await repo.settleQuestion(
      trx,
      game.id,
      game.question_index,
      game.streak_bonus ? { step: STREAK_STEP, cap: STREAK_CAP } : null,
    );
  }
  const seconds =
    target.state === 'question' ? game.read_seconds : target.state === 'answering' ? game.answer_seconds : null;
  const endsAt = seconds === null ? null : new Date(now.getTime() + seconds * 1000);
  const next = await repo.updateGame(trx, game.id, {
    state: target.state,
    question_index: target.questionIndex,
    phase_seq: game.phase_seq + 1,
    phase_started_at: now,
    phase_ends_at: endsAt,
    ...(target.state === 'finished' ? { finished_at: now } : {}),
  });
  if (endsAt)
    await app.jobs.enqueue(trx, gameDeadlineJob, { gameId: game.id, phaseSeq: next.phase_seq }, { startAfter: endsAt });
  await emit(gameTopic(game.id), {
    type: `game.${target.state}`,
    data: await phaseData(trx, next),
    audience: await audienceOf(trx, next),
  });
  return next;
}

/**
 * What everyone in the game is told when a phase begins. Until the reveal, a question goes out in
 * its player view only; the key (and how everyone answered) comes with the reveal.
 */
export async function phaseData(trx: Db | Trx, game: repo.GameRow) {
  const base = {
    state: game.state as GameState,
    questionIndex: game.question_index,
    questionCount: game.question_count,
    phaseEndsAt: game.phase_ends_at?.toISOString() ?? null,
  };
  switch (game.state) {
    case 'question':
    case 'answering': {
      const q = await repo.gameQuestion(trx, game.id, game.question_index);
      return { ...base, question: openQuestion(game, q.question_id, q.body as QuestionBody) };
    }
    case 'reveal': {
      const [q, answers, players] = await Promise.all([
        repo.gameQuestion(trx, game.id, game.question_index),
        repo.answersTo(trx, game.id, game.question_index),
        repo.playersOf(trx, game.id),
      ]);
      const ranked = leaderboard(players);
      const earned = new Map(answers.map((a) => [a.player_id, a]));
      return {
        ...base,
        reveal: { question: q.body, distribution: distribution(answers), answered: answers.length },
        // Each player's result and rank (they find themselves by their id).
        results: ranked.map((p) => ({
          playerId: p.playerId,
          rank: p.rank,
          score: p.score,
          points: earned.get(p.playerId)?.points ?? 0,
          fraction: earned.get(p.playerId)?.fraction ?? null,
        })),
      };
    }
    case 'leaderboard':
      return { ...base, leaderboard: leaderboard(await repo.playersOf(trx, game.id)).slice(0, LEADERBOARD_TOP) };
    case 'finished':
      return { ...base, leaderboard: leaderboard(await repo.playersOf(trx, game.id)) };
    default:
      return base;
  }
}

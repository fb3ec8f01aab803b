import { randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import type { Db, Trx } from '../../../db/database.ts';
import { isUniqueViolation } from '../../../db/errors.ts';
import { inTransaction } from '../../../db/transactions.ts';
import { pickQuestions } from '../attempts/selection.ts';
import {
  alreadyAnswered,
  badAnswer,
  deadlinePassed,
  gameCodeNotFound,
  gameNotFound,
  nicknameTaken,
  quizEmpty,
  quizNotFound,
  wrongPhase,
} from '../errors.ts';
import { listQuestions } from '../questions/question-repository.ts';
import type { Answer, QuestionBody } from '../questions/schemas.ts';
import { findOwnQuiz } from '../quiz-repository.ts';
import { answerError, fractionOf } from '../scoring/index.ts';
import { newSeed } from '../shuffle.ts';
import { audienceOf, drive, gameTopic } from './driver.ts';
import * as repo from './game-repository.ts';
import { hashPlayerToken, newPlayerToken } from './player-tokens.ts';
import { answerPoints } from './points.ts';
import type { CreateGame } from './schemas.ts';
import { toGame } from './views.ts';

/** Rules for live games: hosting one, joining it, answering in it. Phases move in driver.ts. */

const CODE_TRIES = 10;

/** Opens a game of the host's quiz in the lobby, with a fresh 6-digit code and a snapshot of the questions. */
export async function createGame(app: FastifyInstance, db: Db, hostId: string, input: CreateGame) {
  return app.realtime.withEvents(db, async (trx) => {
    const quiz = await findOwnQuiz(trx, hostId, input.quizId);
    if (!quiz) throw quizNotFound();
    const seed = newSeed();
    const questions = pickQuestions(quiz, await listQuestions(trx, quiz.id), seed);
    if (questions.length === 0) throw quizEmpty();
    for (let i = 0; i < CODE_TRIES; i++) {
      const game = await repo.insertGame(trx, {
        quiz_id: quiz.id,
        host_id: hostId,
        code: String(randomInt(0, 1_000_000)).padStart(6, '0'),
        read_seconds: input.readSeconds,
        answer_seconds: input.answerSeconds,
        speed_scoring: input.speedScoring,
        streak_bonus: input.streakBonus,
        seed,
        question_count: questions.length,
      });
      if (!game) continue;
      await repo.insertGameQuestions(
        trx,
        questions.map((q, index) => ({
          game_id: game.id,
          index,
          question_id: q.id,
          version: q.current_version,
          weight: q.weight,
        })),
      );
      return toGame(game);
    }
    throw new Error('no free game code after several tries');
  });
}

export async function joinGame(app: FastifyInstance, input: { code: string; nickname: string }) {
  const token = newPlayerToken();
  const nickname = input.nickname.trim();
  try {
    return await app.realtime.withEvents(app.db, async (trx, emit) => {
      const game = await repo.findGameByCode(trx, input.code);
      if (!game) throw gameCodeNotFound();
      const player = await repo.insertPlayer(trx, { game_id: game.id, nickname, token_hash: hashPlayerToken(token) });
      const audience = await audienceOf(trx, game);
      await emit(gameTopic(game.id), {
        type: 'game.player_joined',
        data: { playerId: player.id, nickname, playerCount: audience.length - 1 },
        audience,
      });
      return { gameId: game.id, playerId: player.id, nickname, token };
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw nicknameTaken();
    throw error;
  }
}

/**
 * A player's answer to the open question: once, inside the answering window by the database's
 * clock, and only to the question that is open. The unique key (player, question) is what makes
 * a repeat or a race a no-op. The last player to answer ends the question early.
 */
export async function submitAnswer(
  app: FastifyInstance,
  player: repo.PlayerIdentity,
  gameId: string,
  questionIndex: number,
  answer: Answer,
) {
  if (player.game_id !== gameId) throw gameNotFound();
  // No event to record (the host's count is ephemeral): a plain transaction.
  const { game, row } = await inTransaction(app.db, async (trx) => {
    const game = await repo.shareGame(trx, gameId);
    if (!game) throw gameNotFound();
    if (game.state !== 'answering' || game.question_index !== questionIndex) {
      throw wrongPhase(game.state, `question ${questionIndex} open for answers`);
    }
    if (game.phase_ends_at && game.now > game.phase_ends_at) throw deadlinePassed(game.phase_ends_at);
    const q = await snapshotQuestion(trx, gameId, questionIndex);
    const problem = answerError(q.body, answer);
    if (problem) throw badAnswer('body.answer', problem);
    const fraction = fractionOf(q.body, answer);
    const elapsedMs = Math.max(0, game.now.getTime() - (game.phase_started_at as Date).getTime());
    const row = await repo.insertAnswer(trx, {
      game_id: gameId,
      player_id: player.id,
      question_index: questionIndex,
      answer: JSON.stringify(answer),
      elapsed_ms: elapsedMs,
      fraction,
      points: answerPoints({
        points: q.body.points ?? 1,
        weight: q.weight,
        fraction,
        elapsedMs,
        windowMs: game.answer_seconds * 1000,
        speedScoring: game.speed_scoring,
      }),
    });
    if (!row) throw alreadyAnswered();
    return { game, row };
  });
  // Counted after the commit: of answers committing at the same time, the last to commit then sees
  // them all (a count inside each transaction could miss the others, and no one would end the question).
  const { answers, players } = await repo.answerProgress(app.db, gameId, questionIndex);
  app.realtime.publish(gameTopic(gameId), {
    type: 'game.answer_count',
    data: { questionIndex, answered: answers, players },
    audience: [game.host_id],
  });
  if (answers >= players) await drive(app, gameId, { kind: 'all_answered', phaseSeq: game.phase_seq });
  return { questionIndex, answeredAt: row.answered_at.toISOString(), elapsedMs: row.elapsed_ms };
}

// A game's questions are a snapshot that never changes: each instance keeps the ones it has read.
const snapshots = new Map<string, { body: QuestionBody; weight: number }>();
const MAX_SNAPSHOTS = 10_000;

async function snapshotQuestion(trx: Trx, gameId: string, index: number) {
  const key = `${gameId}:${index}`;
  let snapshot = snapshots.get(key);
  if (!snapshot) {
    const q = await repo.gameQuestion(trx, gameId, index);
    snapshot = { body: q.body as QuestionBody, weight: q.weight };
    if (snapshots.size >= MAX_SNAPSHOTS) snapshots.delete(snapshots.keys().next().value as string);
    snapshots.set(key, snapshot);
  }
  return snapshot;
}

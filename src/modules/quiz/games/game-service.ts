import { randomInt } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { isUniqueViolation } from '../../../db/errors.ts';
import { databaseNow } from '../attempts/attempt-repository.ts';
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
export async function createGame(app: FastifyInstance, hostId: string, input: CreateGame) {
  return app.realtime.withEvents(app.db, async (trx) => {
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
  player: repo.PlayerRow,
  gameId: string,
  questionIndex: number,
  answer: Answer,
) {
  if (player.game_id !== gameId) throw gameNotFound();
  const result = await app.realtime.withEvents(app.db, async (trx) => {
    const game = await repo.shareGame(trx, gameId);
    if (!game) throw gameNotFound();
    if (game.state !== 'answering' || game.question_index !== questionIndex) {
      throw wrongPhase(game.state, `question ${questionIndex} open for answers`);
    }
    const now = await databaseNow(trx);
    if (game.phase_ends_at && now > game.phase_ends_at) throw deadlinePassed(game.phase_ends_at);
    const q = await repo.gameQuestion(trx, game.id, questionIndex);
    const body = q.body as QuestionBody;
    const problem = answerError(body, answer);
    if (problem) throw badAnswer('body.answer', problem);
    const fraction = fractionOf(body, answer);
    const elapsedMs = Math.max(0, now.getTime() - (game.phase_started_at as Date).getTime());
    const row = await repo.insertAnswer(trx, {
      game_id: game.id,
      player_id: player.id,
      question_index: questionIndex,
      answer: JSON.stringify(answer),
      elapsed_ms: elapsedMs,
      fraction,
      points: answerPoints({
        points: body.points ?? 1,
        weight: q.weight,
        fraction,
        elapsedMs,
        windowMs: game.answer_seconds * 1000,
        speedScoring: game.speed_scoring,
      }),
    });
    if (!row) throw alreadyAnswered();
    const [answered, players] = await Promise.all([
      repo.countAnswers(trx, game.id, questionIndex),
      repo.countPlayers(trx, game.id),
    ]);
    return { game, row, answered, players };
  });
  const { game, row, answered, players } = result;
  // The host's live count: ephemeral, nothing to replay.
  app.realtime.publish(gameTopic(game.id), {
    type: 'game.answer_count',
    data: { questionIndex, answered, players },
    audience: [game.host_id],
  });
  if (answered >= players) await drive(app, game.id, { kind: 'all_answered', phaseSeq: game.phase_seq });
  return { questionIndex, answeredAt: row.answered_at.toISOString(), elapsedMs: row.elapsed_ms };
}

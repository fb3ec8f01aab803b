import type { Db, Trx } from '../../../db/database.ts';
import { inTransaction } from '../../../db/transactions.ts';
import { attemptNotFound, attemptsExhausted, quizEmpty, quizNotFound, quizNotOpen } from '../errors.ts';
import { listQuestions, versionsOf } from '../questions/question-repository.ts';
import { findQuizById, findVisibleQuiz, type QuizRow } from '../quiz-repository.ts';
import { newSeed } from '../shuffle.ts';
import * as repo from './attempt-repository.ts';
import { gradeOf, roundMarks } from './grading.ts';
import { toAttempt } from './mappers.ts';
import { reviewAllowed } from './review.ts';
import { pickQuestions } from './selection.ts';

/** Rules for starting and reading attempts. Answering and submitting are in answer-service.ts. */

/** Renders an attempt for its student, with the review its quiz's policy allows now. */
export async function renderAttempt(db: Db | Trx, quiz: QuizRow, attempt: repo.AttemptRow) {
  const items = await repo.itemsOf(db, attempt.id);
  const versions = await versionsOf(
    db,
    items.map((item) => ({ questionId: item.question_id, version: item.version })),
  );
  // This server's clock: only what is shown (serverTime, and whether the quiz has closed for review)
  // depends on it; whether an answer is on time is decided by the database's (answer-service.ts).
  const now = new Date();
  const reviewable = reviewAllowed(quiz.review, attempt.status === 'submitted', quiz.closes_at, now);
  return toAttempt(attempt, items, versions, { shuffleOptions: quiz.shuffle_options, reviewable, now });
}

/**
 * Starts an attempt, or returns the one in progress (a second tab or a reload resumes it). The
 * deadline is fixed now, by the server: `min(start + time limit, close)`.
 */
export async function startAttempt(db: Db, userId: string, quizId: string) {
  return inTransaction(db, async (trx) => {
    const quiz = await findVisibleQuiz(trx, userId, quizId);
    if (quiz?.status !== 'published') throw quizNotFound();
    await repo.lockStarts(trx, quizId, userId);
    const existing = await repo.listAttempts(trx, quizId, userId);
    const open = existing.find((attempt) => attempt.status === 'in_progress');
    if (open) return { created: false, attempt: await renderAttempt(trx, quiz, open) };
    const now = await repo.databaseNow(trx);
    if (quiz.opens_at && now < quiz.opens_at) throw quizNotOpen(`The quiz opens at ${quiz.opens_at.toISOString()}`);
    if (quiz.closes_at && now >= quiz.closes_at)
      throw quizNotOpen(`The quiz closed at ${quiz.closes_at.toISOString()}`);
    if (quiz.max_attempts !== null && existing.length >= quiz.max_attempts) throw attemptsExhausted(quiz.max_attempts);

    const seed = newSeed();
    const questions = pickQuestions(quiz, await listQuestions(trx, quizId), seed);
    if (questions.length === 0) throw quizEmpty();
    const limitEnd = quiz.time_limit_seconds === null ? null : new Date(now.getTime() + quiz.time_limit_seconds * 1000);
    const deadlines = [limitEnd, quiz.closes_at].filter((d): d is Date => d !== null);
    const deadline = deadlines.length ? new Date(Math.min(...deadlines.map((d) => d.getTime()))) : null;
    // The unique key (quiz, user, number) backs the lock above: two attempts can never share a number.
    const attempt = await repo.insertAttempt(trx, {
      quiz_id: quizId,
      user_id: userId,
      number: existing.length + 1,
      seed,
      // The same instant the deadline is counted from (the column's default would round it apart).
      started_at: now,
      deadline,
      max_score: roundMarks(questions.reduce((sum, q) => sum + (q.body.points ?? 1) * q.weight, 0)),
    });
    await repo.insertItems(
      trx,
      questions.map((q, position) => ({
        attempt_id: attempt.id,
        position,
        question_id: q.id,
        version: q.current_version,
        weight: q.weight,
      })),
    );
    return { created: true, attempt: await renderAttempt(trx, quiz, attempt) };
  });
}

export async function getAttempt(db: Db, userId: string, id: string) {
  const attempt = await repo.findAttempt(db, userId, id);
  if (!attempt) throw attemptNotFound();
  return renderAttempt(db, await quizOf(db, attempt.quiz_id), attempt);
}

/** The quiz of an attempt the caller owns (they keep their results even if it is unpublished since). */
export async function quizOf(db: Db | Trx, quizId: string): Promise<QuizRow> {
  const quiz = await findQuizById(db, quizId);
  if (!quiz) throw attemptNotFound();
  return quiz;
}

/** The user's attempts at a quiz and their grade by the quiz's method. */
export async function myAttempts(db: Db, userId: string, quizId: string) {
  const quiz = await findVisibleQuiz(db, userId, quizId);
  if (!quiz) throw quizNotFound();
  const attempts = await repo.listAttempts(db, quizId, userId);
  const scores = attempts.filter((a) => a.status === 'submitted').map((a) => a.score ?? 0);
  const score = gradeOf(quiz.grading, scores);
  const maxScore = attempts.at(-1)?.max_score ?? 0;
  return {
    items: attempts.map((a) => ({
      id: a.id,
      number: a.number,
      status: a.status,
      startedAt: a.started_at.toISOString(),
      deadline: a.deadline?.toISOString() ?? null,
      submittedAt: a.submitted_at?.toISOString() ?? null,
      score: a.score,
      maxScore: a.max_score,
    })),
    grade: score === null ? null : { method: quiz.grading, score, maxScore },
  };
}

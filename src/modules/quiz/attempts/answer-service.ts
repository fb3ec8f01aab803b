import { isDeepStrictEqual } from 'node:util';
import type { Db, Trx } from '../../../db/database.ts';
import { inTransaction } from '../../../db/transactions.ts';
import { attemptNotFound, attemptSubmitted, badAnswer, deadlinePassed, questionNotFound } from '../errors.ts';
import { versionsOf } from '../questions/question-repository.ts';
import type { Answer, QuestionBody } from '../questions/schemas.ts';
import { answerError, fractionOf } from '../scoring/index.ts';
import * as repo from './attempt-repository.ts';
import { quizOf, renderAttempt } from './attempt-service.ts';
import { roundMarks } from './grading.ts';

/**
 * Answering and submitting. The server's clock decides: an answer later than the deadline plus
 * GRACE_MS (for the request in flight when time ran out) is refused with the deadline.
 */

export const GRACE_MS = 2_000;

function requireOpen(attempt: repo.AttemptRow, now: Date) {
  if (attempt.status !== 'in_progress') throw attemptSubmitted();
  if (attempt.deadline && now.getTime() > attempt.deadline.getTime() + GRACE_MS) throw deadlinePassed(attempt.deadline);
}

/** Saves (or replaces) the answer to one question. The same answer again changes nothing. */
export async function saveAnswer(db: Db, userId: string, attemptId: string, questionId: string, answer: Answer) {
  return inTransaction(db, async (trx) => {
    const attempt = await repo.lockAttempt(trx, userId, attemptId);
    if (!attempt) throw attemptNotFound();
    requireOpen(attempt, await repo.databaseNow(trx));
    const item = await repo.findItem(trx, attemptId, questionId);
    if (!item) throw questionNotFound();
    if (!isDeepStrictEqual(item.answer, answer)) {
      const versions = await versionsOf(trx, [{ questionId, version: item.version }]);
      const question = versions.get(`${questionId}:${item.version}`) as QuestionBody;
      const problem = answerError(question, answer);
      if (problem) throw badAnswer('body', problem);
      const fraction = fractionOf(question, answer);
      const marks = fraction === null ? null : roundMarks(fraction * (question.points ?? 1) * item.weight);
      await repo.saveAnswer(trx, attemptId, questionId, { answer, fraction, marks });
    }
    return renderAttempt(trx, await quizOf(trx, attempt.quiz_id), attempt);
  });
}

/** Submits once: a second submission is a 409. */
export async function submitAttempt(db: Db, userId: string, attemptId: string) {
  return inTransaction(db, async (trx) => {
    const attempt = await repo.lockAttempt(trx, userId, attemptId);
    if (!attempt) throw attemptNotFound();
    if (attempt.status !== 'in_progress') throw attemptSubmitted();
    // Late is still accepted here: what counts was saved before the deadline (later saves were refused).
    const submitted = await repo.markSubmitted(trx, attemptId, 'user');
    return renderAttempt(trx, await quizOf(trx, attempt.quiz_id), submitted);
  });
}

/** Submits one overdue attempt for its student (the job); false if it was submitted meanwhile. */
export async function submitOverdue(trx: Trx, userId: string, attemptId: string): Promise<boolean> {
  const attempt = await repo.lockAttempt(trx, userId, attemptId);
  if (attempt?.status !== 'in_progress') return false;
  await repo.markSubmitted(trx, attemptId, 'deadline');
  return true;
}

/** Submits every overdue attempt, in batches; returns how many. */
export async function submitAllOverdue(db: Db): Promise<number> {
  let total = 0;
  for (;;) {
    const batch = await repo.overdueAttempts(db, GRACE_MS, 200);
    for (const { id, user_id } of batch) {
      if (await inTransaction(db, (trx) => submitOverdue(trx, user_id, id))) total += 1;
    }
    if (batch.length < 200) return total;
  }
}

import { isDeepStrictEqual } from 'node:util';
import { unprocessable } from '../../../core/errors.ts';
import type { Db, Trx } from '../../../db/database.ts';
import { inTransaction } from '../../../db/transactions.ts';
import { attachFile } from '../../files/index.ts';
import { questionNotFound, quizNotFound } from '../errors.ts';
import { findOwnQuiz, lockOwnQuiz, touchQuiz } from '../quiz-repository.ts';
import { toQuestion } from './mappers.ts';
import * as repo from './question-repository.ts';
import type { QuestionBody } from './schemas.ts';
import { questionErrors, storedForm } from './validate.ts';

/**
 * Rules for a quiz's questions (owner only). An edit of what a question says stores a new version
 * and leaves the old ones as they were, so attempts and games that asked it keep what they asked.
 */

async function requireOwnQuiz(trx: Trx, ownerId: string, quizId: string) {
  if (!(await lockOwnQuiz(trx, ownerId, quizId))) throw quizNotFound();
}

/** Checks a question and stores its image's attachment; returns its stored form. */
async function prepare(trx: Trx, ownerId: string, quizId: string, question: QuestionBody, at: string) {
  const errors = questionErrors(question, at);
  if (errors.length) throw unprocessable(errors);
  const body = storedForm(question);
  if (body.imageFileId) {
    await attachFile(trx, { ...repo.imageRef(quizId), fileId: body.imageFileId, userId: ownerId });
  }
  return body;
}

export interface NewQuestion {
  question: QuestionBody;
  weight?: number | undefined;
  tags?: string[] | undefined;
}

/** Appends questions to the owner's quiz in the caller's transaction (one, or a whole import); returns their ids. */
export async function addQuestions(
  trx: Trx,
  ownerId: string,
  quizId: string,
  inputs: readonly NewQuestion[],
  at = 'body.question',
) {
  await requireOwnQuiz(trx, ownerId, quizId);
  let position = await repo.nextPosition(trx, quizId);
  const ids: string[] = [];
  for (const [i, input] of inputs.entries()) {
    const body = await prepare(trx, ownerId, quizId, input.question, inputs.length > 1 ? `${at}[${i}]` : at);
    ids.push(
      await repo.insertQuestion(trx, { quizId, position, weight: input.weight ?? 1, tags: input.tags ?? [], body }),
    );
    position += 1;
  }
  await touchQuiz(trx, quizId);
  return ids;
}

export async function createQuestion(db: Db, ownerId: string, quizId: string, input: NewQuestion) {
  const [id] = await inTransaction(db, (trx) => addQuestions(trx, ownerId, quizId, [input]));
  return getQuestion(db, ownerId, quizId, id as string);
}

export async function listQuestions(db: Db, ownerId: string, quizId: string) {
  if (!(await findOwnQuiz(db, ownerId, quizId))) throw quizNotFound();
  return { items: (await repo.listQuestions(db, quizId)).map(toQuestion) };
}

export async function getQuestion(db: Db, ownerId: string, quizId: string, id: string) {
  if (!(await findOwnQuiz(db, ownerId, quizId))) throw quizNotFound();
  const row = await repo.findQuestion(db, quizId, id);
  if (!row) throw questionNotFound();
  return toQuestion(row);
}

export async function updateQuestion(
  db: Db,
  ownerId: string,
  quizId: string,
  id: string,
  input: {
    question?: QuestionBody | undefined;
    weight?: number | undefined;
    tags?: string[] | undefined;
    position?: number | undefined;
  },
) {
  await inTransaction(db, async (trx) => {
    await requireOwnQuiz(trx, ownerId, quizId);
    const current = await repo.findQuestion(trx, quizId, id);
    if (!current) throw questionNotFound();
    const changes: { weight?: number; tags?: string[]; current_version?: number } = {};
    if (input.question) {
      const body = await prepare(trx, ownerId, quizId, input.question, 'body.question');
      // Saving the same text again is not an edit: no new version.
      if (!isDeepStrictEqual(body, current.body)) {
        changes.current_version = current.current_version + 1;
        await repo.insertVersion(trx, id, changes.current_version, body);
      }
    }
    if (input.weight !== undefined) changes.weight = input.weight;
    if (input.tags !== undefined) changes.tags = input.tags;
    if (Object.keys(changes).length) await repo.updatePlacement(trx, id, changes);
    if (input.position !== undefined) {
      const last = (await repo.nextPosition(trx, quizId)) - 1;
      await repo.moveQuestion(trx, quizId, id, current.position, Math.min(input.position, last));
    }
    await touchQuiz(trx, quizId);
  });
  return getQuestion(db, ownerId, quizId, id);
}

export async function deleteQuestion(db: Db, ownerId: string, quizId: string, id: string) {
  await inTransaction(db, async (trx) => {
    await requireOwnQuiz(trx, ownerId, quizId);
    const current = await repo.findQuestion(trx, quizId, id);
    if (!current) throw questionNotFound();
    await repo.removeQuestion(trx, quizId, id, current.position);
    await touchQuiz(trx, quizId);
  });
}

import { unprocessable } from '../../core/errors.ts';
import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transactions.ts';
import { cursorScope, decodeCursor, toPage } from '../../lib/cursor.ts';
import { detachAll } from '../files/index.ts';
import { quizEmpty, quizNotFound } from './errors.ts';
import { toQuiz } from './mappers.ts';
import { imageRef } from './questions/question-repository.ts';
import * as repo from './quiz-repository.ts';
import type { CreateQuiz, UpdateQuiz } from './schemas.ts';

/** Rules for quizzes: their settings, publishing, and who may see them. */

/** The settings as columns; only the fields the request carries. */
function columnsOf(input: UpdateQuiz) {
  const columns: Record<string, unknown> = {};
  const set = (column: string, value: unknown) => {
    if (value !== undefined) columns[column] = value;
  };
  set('title', input.title);
  set('description', input.description);
  set('status', input.status);
  set('time_limit_seconds', input.timeLimitSeconds);
  set('opens_at', input.opensAt);
  set('closes_at', input.closesAt);
  set('max_attempts', input.maxAttempts);
  set('grading', input.grading);
  set('review', input.review);
  set('shuffle_questions', input.shuffleQuestions);
  set('shuffle_options', input.shuffleOptions);
  if (input.draw !== undefined) {
    columns.draw_tag = input.draw?.tag ?? null;
    columns.draw_count = input.draw?.count ?? null;
  }
  return columns;
}

function checkWindow(opensAt: string | Date | null | undefined, closesAt: string | Date | null | undefined) {
  if (opensAt && closesAt && new Date(opensAt) >= new Date(closesAt)) {
    throw unprocessable([{ field: 'body.closesAt', message: 'must be after opensAt' }]);
  }
}

export async function createQuiz(db: Db, ownerId: string, input: CreateQuiz) {
  checkWindow(input.opensAt, input.closesAt);
  // A quiz starts as a draft: it can only be published once it has questions.
  if (input.status === 'published') throw quizEmpty();
  const { id } = await repo.insertQuiz(db, { owner_id: ownerId, title: input.title, ...columnsOf(input) } as never);
  return getOwnQuiz(db, ownerId, id);
}

export async function getOwnQuiz(db: Db, ownerId: string, id: string) {
  const row = await repo.findOwnQuiz(db, ownerId, id);
  if (!row) throw quizNotFound();
  return toQuiz(row);
}

export async function getQuiz(db: Db, userId: string, id: string) {
  const row = await repo.findVisibleQuiz(db, userId, id);
  if (!row) throw quizNotFound();
  return toQuiz(row);
}

export async function listQuizzes(db: Db, ownerId: string, query: { limit: number; cursor?: string | undefined }) {
  const scope = cursorScope({ list: 'quizzes' });
  let after: { createdAt: string; id: string } | undefined;
  if (query.cursor) {
    const [createdAt, id] = decodeCursor(query.cursor, scope, ['timestamp', 'uuid']) as [string, string];
    after = { createdAt, id };
  }
  const rows = await repo.listOwnQuizzes(db, ownerId, { limit: query.limit + 1, ...(after ? { after } : {}) });
  const page = toPage(rows, query.limit, scope, (row) => [row.created_at.toISOString(), row.id]);
  return { items: page.rows.map(toQuiz), nextCursor: page.nextCursor };
}

export async function updateQuiz(db: Db, ownerId: string, id: string, input: UpdateQuiz) {
  await inTransaction(db, async (trx) => {
    if (!(await repo.lockOwnQuiz(trx, ownerId, id))) throw quizNotFound();
    const current = await repo.findOwnQuiz(trx, ownerId, id);
    if (!current) throw quizNotFound();
    checkWindow(
      input.opensAt === undefined ? current.opens_at : input.opensAt,
      input.closesAt === undefined ? current.closes_at : input.closesAt,
    );
    if (input.status === 'published' && current.question_count === 0) throw quizEmpty();
    await repo.updateQuiz(trx, id, columnsOf(input));
  });
  return getOwnQuiz(db, ownerId, id);
}

export async function deleteQuiz(db: Db, ownerId: string, id: string) {
  await inTransaction(db, async (trx) => {
    if (!(await repo.lockOwnQuiz(trx, ownerId, id))) throw quizNotFound();
    await detachAll(trx, imageRef(id));
    await repo.deleteQuiz(trx, id);
  });
}

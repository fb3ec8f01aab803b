import { type Insertable, type Selectable, sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import type { QuizzesTable } from './tables.ts';

/** SQL for quizzes. Ownership is part of every query: another user's quiz is simply not found. */

type DbOrTrx = Db | Trx;
export type QuizRow = Selectable<QuizzesTable> & { question_count: number };

const questionCount = sql<number>`(select count(*)::int from quiz_questions q where q.quiz_id = quizzes.id and q.deleted_at is null)`;

const quizzes = (db: DbOrTrx) =>
  db.selectFrom('quizzes').selectAll('quizzes').select(questionCount.as('question_count'));

export const insertQuiz = (trx: DbOrTrx, values: Insertable<QuizzesTable>) =>
  trx.insertInto('quizzes').values(values).returning('id').executeTakeFirstOrThrow();

export const findOwnQuiz = (db: DbOrTrx, ownerId: string, id: string): Promise<QuizRow | undefined> =>
  quizzes(db).where('id', '=', id).where('owner_id', '=', ownerId).executeTakeFirst();

/** A quiz the user may see: their own, or anyone's published one. */
export const findVisibleQuiz = (db: DbOrTrx, userId: string, id: string): Promise<QuizRow | undefined> =>
  quizzes(db)
    .where('id', '=', id)
    .where((eb) => eb.or([eb('owner_id', '=', userId), eb('status', '=', 'published')]))
    .executeTakeFirst();

/** Locks the owner's quiz row: question edits and settings changes on one quiz go one at a time. */
export const lockOwnQuiz = (trx: Trx, ownerId: string, id: string) =>
  trx
    .selectFrom('quizzes')
    .select(['id', 'status', 'version'])
    .where('id', '=', id)
    .where('owner_id', '=', ownerId)
    .forUpdate()
    .executeTakeFirst();

export const updateQuiz = (trx: Trx, id: string, values: Record<string, unknown>) =>
  trx
    .updateTable('quizzes')
    .set({ ...values, version: sql`version + 1`, updated_at: sql`now()` } as never)
    .where('id', '=', id)
    .execute();

/** Every change to a quiz's questions bumps the quiz's version (its ETag-like counter). */
export const touchQuiz = (trx: Trx, id: string) => updateQuiz(trx, id, {});

export const deleteQuiz = (trx: Trx, id: string) => trx.deleteFrom('quizzes').where('id', '=', id).execute();

export function listOwnQuizzes(
  db: Db,
  ownerId: string,
  page: { limit: number; after?: { createdAt: string; id: string } },
) {
  let query = quizzes(db).where('owner_id', '=', ownerId);
  const after = page.after;
  if (after) {
    query = query.where((eb) =>
      eb.or([
        eb('created_at', '<', new Date(after.createdAt)),
        eb.and([eb('created_at', '=', new Date(after.createdAt)), eb('id', '<', after.id)]),
      ]),
    );
  }
  return query.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(page.limit).execute();
}

/**
 * A quiz by id alone, for a caller whose access another row already proves (their own attempt of
 * it: a student keeps their results even if the quiz is unpublished later).
 */
export const findQuizById = (db: DbOrTrx, id: string): Promise<QuizRow | undefined> =>
  quizzes(db).where('id', '=', id).executeTakeFirst();

import { type Insertable, type Selectable, sql } from 'kysely';
import type { Db, Trx } from '../../../db/database.ts';
import type { QuizAttemptItemsTable, QuizAttemptsTable } from '../tables.ts';

/** SQL for attempts and their items. Every read and lock names the attempt's user: another's is not found. */

type DbOrTrx = Db | Trx;
export type AttemptRow = Selectable<QuizAttemptsTable>;
export type AttemptItemRow = Selectable<QuizAttemptItemsTable>;

export const findAttempt = (db: DbOrTrx, userId: string, id: string) =>
  db.selectFrom('quiz_attempts').selectAll().where('id', '=', id).where('user_id', '=', userId).executeTakeFirst();

export const lockAttempt = (trx: Trx, userId: string, id: string) =>
  trx
    .selectFrom('quiz_attempts')
    .selectAll()
    .where('id', '=', id)
    .where('user_id', '=', userId)
    .forUpdate()
    .executeTakeFirst();

/**
 * Serializes a user's starts of one quiz until the transaction ends: a second start (another tab,
 * a double click) waits, then finds the first one's attempt and resumes it.
 */
export const lockStarts = (trx: Trx, quizId: string, userId: string) =>
  sql`select pg_advisory_xact_lock(hashtextextended(${`quiz-start:${quizId}:${userId}`}, 0))`.execute(trx);

export const listAttempts = (db: DbOrTrx, quizId: string, userId: string) =>
  db
    .selectFrom('quiz_attempts')
    .selectAll()
    .where('quiz_id', '=', quizId)
    .where('user_id', '=', userId)
    .orderBy('number')
    .execute();

export const itemsOf = (db: DbOrTrx, attemptId: string) =>
  db.selectFrom('quiz_attempt_items').selectAll().where('attempt_id', '=', attemptId).orderBy('position').execute();

export const insertAttempt = (trx: Trx, values: Insertable<QuizAttemptsTable>) =>
  trx.insertInto('quiz_attempts').values(values).returningAll().executeTakeFirstOrThrow();

export const insertItems = (trx: Trx, items: Insertable<QuizAttemptItemsTable>[]) =>
  trx.insertInto('quiz_attempt_items').values(items).execute();

export const findItem = (trx: Trx, attemptId: string, questionId: string) =>
  trx
    .selectFrom('quiz_attempt_items')
    .selectAll()
    .where('attempt_id', '=', attemptId)
    .where('question_id', '=', questionId)
    .executeTakeFirst();

export const saveAnswer = (
  trx: Trx,
  attemptId: string,
  questionId: string,
  values: { answer: unknown; fraction: number | null; marks: number | null },
) =>
  trx
    .updateTable('quiz_attempt_items')
    .set({
      answer: JSON.stringify(values.answer),
      fraction: values.fraction,
      marks: values.marks,
      answered_at: sql`now()`,
    })
    .where('attempt_id', '=', attemptId)
    .where('question_id', '=', questionId)
    .execute();

/** Submits: the score is the sum of the marks of what was answered (unanswered earns nothing). */
export const markSubmitted = (trx: Trx, id: string, by: 'user' | 'deadline') =>
  trx
    .updateTable('quiz_attempts')
    .set({
      status: 'submitted',
      submitted_by: by,
      submitted_at: sql`now()`,
      score: sql<number>`(select round(coalesce(sum(marks), 0)::numeric, 4)::float8 from quiz_attempt_items where attempt_id = ${id})`,
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();

/** Open attempts whose deadline and grace have passed, oldest first (quiz_attempts_overdue_idx). */
export const overdueAttempts = (db: DbOrTrx, graceMs: number, limit: number) =>
  db
    .selectFrom('quiz_attempts')
    .select(['id', 'user_id'])
    .where('status', '=', 'in_progress')
    .where('deadline', '<', sql<Date>`now() - make_interval(secs => ${graceMs / 1000})`)
    .orderBy('deadline')
    .limit(limit)
    .execute();

/** The database's clock: deadlines are compared with it, never with a client's or this process's. */
export const databaseNow = async (db: DbOrTrx) =>
  (await sql<{ now: Date }>`select now() as now`.execute(db)).rows[0]?.now as Date;

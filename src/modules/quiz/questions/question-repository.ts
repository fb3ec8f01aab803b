import { type Selectable, sql } from 'kysely';
import type { Db, Trx } from '../../../db/database.ts';
import type { ObjectRef } from '../../files/index.ts';
import type { QuizQuestionsTable } from '../tables.ts';
import type { QuestionBody } from './schemas.ts';

/** SQL for questions and their versions. Callers have checked the quiz is the caller's. */

type DbOrTrx = Db | Trx;
export type QuestionRow = Selectable<QuizQuestionsTable> & { body: QuestionBody };

/** The files module's object that holds a quiz's images (every version's, for as long as the quiz lives). */
export const imageRef = (quizId: string): ObjectRef => ({ objectType: 'quiz', objectId: quizId });

const withBody = (db: DbOrTrx) =>
  db
    .selectFrom('quiz_questions as q')
    .innerJoin('quiz_question_versions as v', (join) =>
      join.onRef('v.question_id', '=', 'q.id').onRef('v.version', '=', 'q.current_version'),
    )
    .selectAll('q')
    .select('v.body')
    .where('q.deleted_at', 'is', null);

/** The quiz's current questions in order. */
export const listQuestions = (db: DbOrTrx, quizId: string): Promise<QuestionRow[]> =>
  withBody(db).where('q.quiz_id', '=', quizId).orderBy('q.position').execute() as Promise<QuestionRow[]>;

export const findQuestion = (db: DbOrTrx, quizId: string, id: string): Promise<QuestionRow | undefined> =>
  withBody(db).where('q.quiz_id', '=', quizId).where('q.id', '=', id).executeTakeFirst() as Promise<
    QuestionRow | undefined
  >;

export async function insertQuestion(
  trx: Trx,
  input: { quizId: string; position: number; weight: number; tags: string[]; body: QuestionBody },
): Promise<string> {
  const { id } = await trx
    .insertInto('quiz_questions')
    .values({ quiz_id: input.quizId, position: input.position, weight: input.weight, tags: input.tags })
    .returning('id')
    .executeTakeFirstOrThrow();
  await insertVersion(trx, id, 1, input.body);
  return id;
}

export const insertVersion = (trx: Trx, questionId: string, version: number, body: QuestionBody) =>
  trx
    .insertInto('quiz_question_versions')
    .values({ question_id: questionId, version, body: JSON.stringify(body) })
    .execute();

export const nextPosition = async (trx: Trx, quizId: string) =>
  (
    await trx
      .selectFrom('quiz_questions')
      .select(sql<number>`coalesce(max(position) + 1, 0)::int`.as('next'))
      .where('quiz_id', '=', quizId)
      .where('deleted_at', 'is', null)
      .executeTakeFirstOrThrow()
  ).next;

export const updatePlacement = (
  trx: Trx,
  id: string,
  values: { weight?: number; tags?: string[]; position?: number; current_version?: number },
) => trx.updateTable('quiz_questions').set(values).where('id', '=', id).execute();

/**
 * Soft delete: attempts and games that asked the question keep its versions. The positions of the
 * questions after it close up.
 */
export async function removeQuestion(trx: Trx, quizId: string, id: string, position: number) {
  await trx.updateTable('quiz_questions').set({ deleted_at: sql`now()` }).where('id', '=', id).execute();
  await trx
    .updateTable('quiz_questions')
    .set({ position: sql`position - 1` })
    .where('quiz_id', '=', quizId)
    .where('deleted_at', 'is', null)
    .where('position', '>', position)
    .execute();
}

/** Moves a question from one place to another, shifting those between. */
export async function moveQuestion(trx: Trx, quizId: string, id: string, from: number, to: number) {
  if (from === to) return;
  const [low, high, shift] = from < to ? [from + 1, to, -1] : [to, from - 1, 1];
  await trx
    .updateTable('quiz_questions')
    .set({ position: sql`position + ${shift}` })
    .where('quiz_id', '=', quizId)
    .where('deleted_at', 'is', null)
    .where('position', '>=', low)
    .where('position', '<=', high)
    .execute();
  await trx.updateTable('quiz_questions').set({ position: to }).where('id', '=', id).execute();
}

/** Specific versions of questions (what an attempt or a game asked), by `questionId:version`. */
export async function versionsOf(db: DbOrTrx, refs: ReadonlyArray<{ questionId: string; version: number }>) {
  if (refs.length === 0) return new Map<string, QuestionBody>();
  const wanted = new Set(refs.map((r) => `${r.questionId}:${r.version}`));
  const rows = await db
    .selectFrom('quiz_question_versions')
    .select(['question_id', 'version', 'body'])
    .where('question_id', 'in', [...new Set(refs.map((r) => r.questionId))])
    .execute();
  return new Map(
    rows
      .map((row) => [`${row.question_id}:${row.version}`, row.body as QuestionBody] as const)
      .filter(([key]) => wanted.has(key)),
  );
}

import type { Static } from 'typebox';
import type { Db } from '../../../db/database.ts';
import { inTransaction } from '../../../db/transactions.ts';
import { quizNotFound } from '../errors.ts';
import { toQuiz } from '../mappers.ts';
import { listQuestions } from '../questions/question-repository.ts';
import { addQuestions } from '../questions/question-service.ts';
import { findOwnQuiz } from '../quiz-repository.ts';
import { createQuiz, getOwnQuiz } from '../quiz-service.ts';
import { exportGift } from './gift-export.ts';
import { importGift } from './gift-import.ts';
import type { QuizDocument } from './schemas.ts';

/** Quizzes in and out: as a JSON document (everything), or as GIFT (questions, as far as GIFT goes). */

async function ownQuizWithQuestions(db: Db, ownerId: string, quizId: string) {
  const quiz = await findOwnQuiz(db, ownerId, quizId);
  if (!quiz) throw quizNotFound();
  return { quiz, questions: await listQuestions(db, quizId) };
}

export async function exportJson(db: Db, ownerId: string, quizId: string): Promise<Static<typeof QuizDocument>> {
  const { quiz, questions } = await ownQuizWithQuestions(db, ownerId, quizId);
  const {
    id: _id,
    ownerId: _owner,
    questionCount: _count,
    version: _version,
    createdAt: _c,
    updatedAt: _u,
    status: _s,
    ...settings
  } = toQuiz(quiz);
  return {
    format: 'groundwork.quiz',
    version: 1,
    quiz: settings,
    questions: questions.map((q) => ({ question: q.body, weight: q.weight, tags: q.tags })),
  };
}

/** A new draft quiz from a JSON document (images are the importer's own files, or refused). */
export async function importJson(db: Db, ownerId: string, document: Static<typeof QuizDocument>) {
  const { status: _status, ...settings } = document.quiz;
  // One transaction: a document with a bad question leaves no half-imported quiz behind.
  const id = await inTransaction(db, async (trx) => {
    const quiz = await createQuiz(trx, ownerId, settings);
    await addQuestions(trx, ownerId, quiz.id, document.questions, 'body.questions');
    return quiz.id;
  });
  return getOwnQuiz(db, ownerId, id);
}

export async function exportGiftText(db: Db, ownerId: string, quizId: string) {
  const { quiz, questions } = await ownQuizWithQuestions(db, ownerId, quizId);
  return exportGift(
    quiz.title,
    questions.map((q) => q.body),
  );
}

/** Appends a GIFT text's questions to the owner's quiz; reports what GIFT had that we cannot take. */
export async function importGiftText(db: Db, ownerId: string, quizId: string, text: string) {
  const { questions, skipped } = importGift(text);
  const questionIds = await inTransaction(db, (trx) =>
    addQuestions(
      trx,
      ownerId,
      quizId,
      questions.map((question) => ({ question })),
      'body.text',
    ),
  );
  return { imported: questionIds.length, questionIds, skipped };
}

import { Type } from 'typebox';
import { Nullable } from '../../../core/schemas.ts';
import { CreateQuestion } from '../questions/schemas.ts';
import { CreateQuiz } from '../schemas.ts';

/** Import and export: a lossless JSON document, and Moodle GIFT text. */

export const QuizDocument = Type.Object(
  {
    format: Type.Literal('groundwork.quiz'),
    version: Type.Literal(1),
    quiz: CreateQuiz,
    questions: Type.Array(CreateQuestion, { maxItems: 1000 }),
  },
  { additionalProperties: false, description: 'A quiz with its questions and answer keys, as JSON' },
);

export const GiftImport = Type.Object(
  { text: Type.String({ minLength: 1, maxLength: 1_000_000, description: 'Moodle GIFT text' }) },
  { additionalProperties: false },
);
export const GiftImported = Type.Object({
  imported: Type.Integer(),
  questionIds: Type.Array(Type.String()),
  skipped: Type.Array(Type.Object({ title: Nullable(Type.String()), reason: Type.String() })),
});

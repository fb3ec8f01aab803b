import { type Static, Type } from 'typebox';
import { Id, Nullable, Timestamp } from '../../../core/schemas.ts';
import { Answer, PlayerQuestion, QuestionBody } from '../questions/schemas.ts';
import { Grading } from '../schemas.ts';

/** Self-paced attempts: what a student sees, answers and gets back. */

export const AttemptItem = Type.Object({
  position: Type.Integer(),
  weight: Type.Number(),
  question: PlayerQuestion,
  answer: Nullable(Answer),
  answeredAt: Nullable(Timestamp),
  fraction: Nullable(
    Type.Number({ description: 'Once submitted: the share of the question earned (null for a poll)' }),
  ),
  marks: Nullable(Type.Number({ description: 'Once submitted: points × weight × fraction' })),
  review: Nullable(
    Type.Object(
      { question: QuestionBody },
      { description: 'When the review policy allows: the question with its answer key and explanation' },
    ),
  ),
});

export const Attempt = Type.Object({
  id: Id,
  quizId: Id,
  number: Type.Integer({ description: '1 for the user’s first attempt at this quiz' }),
  status: Type.Enum(['in_progress', 'submitted']),
  startedAt: Timestamp,
  deadline: Nullable(Timestamp),
  serverTime: Timestamp,
  submittedAt: Nullable(Timestamp),
  submittedBy: Nullable(Type.Enum(['user', 'deadline'])),
  score: Nullable(Type.Number()),
  maxScore: Type.Number(),
  reviewAvailable: Type.Boolean(),
  items: Type.Array(AttemptItem),
});
export type AttemptDto = Static<typeof Attempt>;

export const AttemptSummary = Type.Object({
  id: Id,
  number: Type.Integer(),
  status: Type.Enum(['in_progress', 'submitted']),
  startedAt: Timestamp,
  deadline: Nullable(Timestamp),
  submittedAt: Nullable(Timestamp),
  score: Nullable(Type.Number()),
  maxScore: Type.Number(),
});
export const MyAttempts = Type.Object({
  items: Type.Array(AttemptSummary),
  grade: Nullable(
    Type.Object(
      { method: Grading, score: Type.Number(), maxScore: Type.Number() },
      { description: 'Null until one is submitted' },
    ),
  ),
});

export const AttemptParams = Type.Object({ id: Id });
export const AnswerParams = Type.Object({ id: Id, questionId: Id });

import { type Static, Type } from 'typebox';
import { Id, Nullable, PageQuery, Timestamp } from '../../core/schemas.ts';

/** Quizzes: the settings of a quiz. Questions, attempts and games have their schemas in their folders. */

export const Grading = Type.Enum(['highest', 'last', 'first', 'average'], {
  description: 'Which of a user’s attempts is their grade',
});
export const ReviewPolicy = Type.Enum(['after_submit', 'after_close', 'never'], {
  description: 'When a submitted attempt shows the right answers and explanations',
});
export const QuizStatus = Type.Enum(['draft', 'published']);
const Draw = Type.Object(
  {
    tag: Type.String({ pattern: '^[a-z0-9_-]{1,40}$' }),
    count: Type.Integer({ minimum: 1, maximum: 500 }),
  },
  { description: 'Each attempt draws `count` of the questions tagged `tag` (the untagged ones are always asked)' },
);

const settings = {
  title: Type.String({ minLength: 1, maxLength: 200 }),
  description: Type.String({ maxLength: 10000 }),
  status: QuizStatus,
  timeLimitSeconds: Nullable(Type.Integer({ minimum: 1, maximum: 7 * 86400 })),
  opensAt: Nullable(Timestamp),
  closesAt: Nullable(Timestamp),
  maxAttempts: Nullable(Type.Integer({ minimum: 1, maximum: 1000 })),
  grading: Grading,
  review: ReviewPolicy,
  shuffleQuestions: Type.Boolean(),
  shuffleOptions: Type.Boolean(),
  draw: Nullable(Draw),
};

export const Quiz = Type.Object({
  id: Id,
  ownerId: Id,
  ...settings,
  questionCount: Type.Integer(),
  version: Type.Integer({ description: 'Bumped by every change to the quiz or its questions' }),
  createdAt: Timestamp,
  updatedAt: Timestamp,
});
export type QuizDto = Static<typeof Quiz>;

const optional = Object.fromEntries(Object.entries(settings).map(([key, schema]) => [key, Type.Optional(schema)])) as {
  [K in keyof typeof settings]: ReturnType<typeof Type.Optional<(typeof settings)[K]>>;
};
export const CreateQuiz = Type.Object({ ...optional, title: settings.title }, { additionalProperties: false });
export type CreateQuiz = Static<typeof CreateQuiz>;
export const UpdateQuiz = Type.Object(optional, { additionalProperties: false, minProperties: 1 });
export type UpdateQuiz = Static<typeof UpdateQuiz>;

export const QuizParams = Type.Object({ id: Id });
export const QuizPage = Type.Object({ items: Type.Array(Quiz), nextCursor: Nullable(Type.String()) });
export const QuizQuery = Type.Object({ ...PageQuery(20).properties });

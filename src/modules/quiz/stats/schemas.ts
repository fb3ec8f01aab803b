import { Type } from 'typebox';
import { Id, Nullable } from '../../../core/schemas.ts';

/** A quiz's statistics (docs/quiz.md explains each figure). */

const Scores = Type.Object({
  count: Type.Integer(),
  mean: Nullable(Type.Number()),
  median: Nullable(Type.Number()),
  histogram: Type.Array(Type.Object({ from: Type.Number(), to: Type.Number(), count: Type.Integer() }), {
    description: 'Ten equal bins: of the percentage score (attempts), of the final score up to the best (games)',
  }),
});

const QuestionStats = Type.Object({
  questionId: Id,
  prompt: Nullable(Type.String({ description: 'Null for a question removed since' })),
  type: Nullable(Type.String()),
  asked: Type.Integer(),
  answered: Type.Integer(),
  facility: Nullable(Type.Number({ description: 'Share of those asked who got it fully right (null for a poll)' })),
  discrimination: Nullable(
    Type.Number({ description: 'Corrected item–total correlation, −1…1 (null when it cannot vary)' }),
  ),
  options: Type.Record(Type.String(), Type.Integer(), { description: 'How often each option was chosen' }),
  medianTimeMs: Nullable(Type.Number({ description: 'Games: from the answering window’s start; attempts: null' })),
});

const Part = Type.Object({ scores: Scores, questions: Type.Array(QuestionStats) });
export const QuizStats = Type.Object({ attempts: Part, games: Part });

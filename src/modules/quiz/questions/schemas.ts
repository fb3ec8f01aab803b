import { type Static, Type } from 'typebox';
import { Id, Nullable, Timestamp } from '../../../core/schemas.ts';

/**
 * Questions as their author writes them (with the answer key) and as a player sees them (without).
 * The author's shape is what a question version stores; the player's is derived by `playerView`.
 */

const OptionId = Type.String({ pattern: '^[A-Za-z0-9_-]{1,20}$', description: 'Unique within the question' });
const OptionText = Type.String({ minLength: 1, maxLength: 500 });

const common = {
  prompt: Type.String({ minLength: 1, maxLength: 4000 }),
  points: Type.Optional(Type.Number({ exclusiveMinimum: 0, maximum: 1000, description: 'Default 1' })),
  imageFileId: Type.Optional(Nullable(Id)),
  explanation: Type.Optional(Type.String({ maxLength: 4000, description: 'Shown in review' })),
};

export const SingleQuestion = Type.Object(
  {
    type: Type.Literal('single'),
    ...common,
    options: Type.Array(Type.Object({ id: OptionId, text: OptionText, correct: Type.Boolean() }), {
      minItems: 2,
      maxItems: 20,
    }),
  },
  { description: 'One right option' },
);

export const MultipleQuestion = Type.Object(
  {
    type: Type.Literal('multiple'),
    ...common,
    options: Type.Array(
      Type.Object({
        id: OptionId,
        text: OptionText,
        fraction: Type.Number({
          minimum: -1,
          maximum: 1,
          description: 'Credit for choosing it; negative for a wrong option. The sum is clamped to 0–1.',
        }),
      }),
      { minItems: 2, maxItems: 20 },
    ),
  },
  { description: 'Several options, each worth a fraction' },
);

export const TrueFalseQuestion = Type.Object(
  { type: Type.Literal('true_false'), ...common, answer: Type.Boolean() },
  {},
);

export const ShortTextQuestion = Type.Object(
  {
    type: Type.Literal('short_text'),
    ...common,
    accepted: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 1, maxItems: 20 }),
    exact: Type.Optional(
      Type.Boolean({ description: 'Match exactly (default false: case, spacing and accents are ignored)' }),
    ),
  },
  {},
);

export const NumericQuestion = Type.Object(
  {
    type: Type.Literal('numeric'),
    ...common,
    answer: Type.Number(),
    tolerance: Type.Optional(Type.Number({ minimum: 0, description: 'Full credit within ± this (default 0)' })),
    closeness: Type.Optional(
      Nullable(
        Type.Number({
          exclusiveMinimum: 0,
          description: 'Beyond the tolerance, credit falls linearly to 0 over this distance',
        }),
      ),
    ),
  },
  {},
);

export const OrderingQuestion = Type.Object(
  {
    type: Type.Literal('ordering'),
    ...common,
    items: Type.Array(Type.Object({ id: OptionId, text: OptionText }), {
      minItems: 2,
      maxItems: 20,
      description: 'In the right order; players see them shuffled',
    }),
  },
  { description: 'Partial credit: the share of items in their place' },
);

export const PollQuestion = Type.Object(
  {
    type: Type.Literal('poll'),
    ...common,
    options: Type.Array(Type.Object({ id: OptionId, text: OptionText }), { minItems: 2, maxItems: 20 }),
  },
  { description: 'No right answer: never scored' },
);

export const QuestionBody = Type.Union([
  SingleQuestion,
  MultipleQuestion,
  TrueFalseQuestion,
  ShortTextQuestion,
  NumericQuestion,
  OrderingQuestion,
  PollQuestion,
]);
export type QuestionBody = Static<typeof QuestionBody>;
export type QuestionType = QuestionBody['type'];
export const QUESTION_TYPES: readonly QuestionType[] = [
  'single',
  'multiple',
  'true_false',
  'short_text',
  'numeric',
  'ordering',
  'poll',
];

const placement = {
  weight: Type.Number({ minimum: 0, maximum: 100, description: 'Multiplies the points (default 1)' }),
  tags: Type.Array(Type.String({ pattern: '^[a-z0-9_-]{1,40}$' }), { maxItems: 20, uniqueItems: true }),
};

export const CreateQuestion = Type.Object(
  { question: QuestionBody, weight: Type.Optional(placement.weight), tags: Type.Optional(placement.tags) },
  { additionalProperties: false },
);
export const UpdateQuestion = Type.Object(
  {
    question: Type.Optional(QuestionBody),
    weight: Type.Optional(placement.weight),
    tags: Type.Optional(placement.tags),
    position: Type.Optional(Type.Integer({ minimum: 0, description: 'Move to this place (0 = first)' })),
  },
  { additionalProperties: false, minProperties: 1 },
);

export const Question = Type.Object({
  id: Id,
  quizId: Id,
  position: Type.Integer(),
  weight: Type.Number(),
  tags: Type.Array(Type.String()),
  version: Type.Integer({ description: 'Bumped by every edit of the question itself' }),
  question: QuestionBody,
  createdAt: Timestamp,
});
export type QuestionDto = Static<typeof Question>;
export const QuestionList = Type.Object({ items: Type.Array(Question) });
export const QuestionParams = Type.Object({ id: Id, questionId: Id });

/** What a player is shown: the question without anything that gives the answer away. */
const playerCommon = {
  type: Type.String(),
  prompt: Type.String(),
  points: Type.Number(),
  imageFileId: Nullable(Id),
};
export const PlayerQuestion = Type.Object(
  {
    id: Id,
    ...playerCommon,
    options: Type.Optional(
      Type.Array(Type.Object({ id: Type.String(), text: Type.String() }), {
        description: 'single, multiple, poll: in the order this player sees them',
      }),
    ),
    items: Type.Optional(
      Type.Array(Type.Object({ id: Type.String(), text: Type.String() }), { description: 'ordering: shuffled' }),
    ),
  },
  {},
);
export type PlayerQuestion = Static<typeof PlayerQuestion>;

/** A player's answer; which shape fits depends on the question's type. */
export const Answer = Type.Union([
  Type.Object({ optionId: OptionId }, { description: 'single, poll' }),
  Type.Object({ optionIds: Type.Array(OptionId, { maxItems: 20, uniqueItems: true }) }, { description: 'multiple' }),
  Type.Object({ value: Type.Boolean() }, { description: 'true_false' }),
  Type.Object({ text: Type.String({ maxLength: 200 }) }, { description: 'short_text' }),
  Type.Object({ value: Type.Number() }, { description: 'numeric' }),
  Type.Object({ order: Type.Array(OptionId, { maxItems: 20, uniqueItems: true }) }, { description: 'ordering' }),
]);
export type Answer = Static<typeof Answer>;

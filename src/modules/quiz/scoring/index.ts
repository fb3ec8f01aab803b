import type { Answer, QuestionBody } from '../questions/schemas.ts';
import { scoreMultiple, scoreSingle, scoreTrueFalse } from './choice.ts';
import { scoreNumeric } from './numeric.ts';
import { scoreOrdering } from './ordering.ts';
import { scoreText } from './text.ts';

/**
 * Scoring: how much of a question an answer earns, as a fraction 0–1 (null for a poll, which has
 * no right answer). Pure functions, one file per kind of question; `answerError` says when an
 * answer does not fit the question at all (a 422, not a wrong answer).
 */

/** Why `answer` cannot be an answer to `question`, or null when it can. */
export function answerError(question: QuestionBody, answer: Answer): string | null {
  const has = (field: string) => field in answer;
  switch (question.type) {
    case 'single':
    case 'poll': {
      if (!has('optionId')) return `a ${question.type} question takes { optionId }`;
      const id = (answer as { optionId: string }).optionId;
      return question.options.some((option) => option.id === id) ? null : 'no such option';
    }
    case 'multiple': {
      if (!has('optionIds')) return 'a multiple question takes { optionIds }';
      const known = new Set(question.options.map((option) => option.id));
      return (answer as { optionIds: string[] }).optionIds.every((id) => known.has(id)) ? null : 'no such option';
    }
    case 'true_false':
      return typeof (answer as { value?: unknown }).value === 'boolean'
        ? null
        : 'a true_false question takes { value: boolean }';
    case 'short_text':
      return has('text') ? null : 'a short_text question takes { text }';
    case 'numeric':
      return typeof (answer as { value?: unknown }).value === 'number'
        ? null
        : 'a numeric question takes { value: number }';
    case 'ordering': {
      if (!has('order')) return 'an ordering question takes { order }';
      const known = new Set(question.items.map((item) => item.id));
      const order = (answer as { order: string[] }).order;
      return order.length === known.size && order.every((id) => known.has(id)) ? null : 'order every item exactly once';
    }
  }
}

/** The fraction of the question `answer` earns (0–1, to 6 decimals), or null for a poll. `answer` must fit (answerError). */
export function fractionOf(question: QuestionBody, answer: Answer): number | null {
  const fraction = rawFraction(question, answer as Record<string, unknown>);
  // Rounded so float noise (3.2 − 3.14 is not 0.06) never shows as 0.49999999999999956.
  return fraction === null ? null : Math.round(fraction * 1e6) / 1e6;
}

function rawFraction(question: QuestionBody, a: Record<string, unknown>): number | null {
  switch (question.type) {
    case 'single':
      return scoreSingle(question.options, a.optionId as string);
    case 'multiple':
      return scoreMultiple(question.options, a.optionIds as string[]);
    case 'true_false':
      return scoreTrueFalse(question.answer, a.value as boolean);
    case 'short_text':
      return scoreText(question.accepted, question.exact ?? false, a.text as string);
    case 'numeric':
      return scoreNumeric(question.answer, question.tolerance ?? 0, question.closeness ?? null, a.value as number);
    case 'ordering':
      return scoreOrdering(
        question.items.map((item) => item.id),
        a.order as string[],
      );
    case 'poll':
      return null;
  }
}

/** Whether an answer counts as correct (full credit) for statistics and streaks. */
export const isCorrect = (fraction: number | null) => fraction !== null && fraction >= 1 - 1e-9;

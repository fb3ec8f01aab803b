import type { FieldError } from '../../../core/errors.ts';
import type { QuestionBody } from './schemas.ts';

/**
 * What the schema cannot say about a question: ids unique, one right option, credit attainable.
 * And the stored form: every optional field filled in, nothing the type does not define (the
 * request schema is a union, whose members must allow extra fields for Ajv to try each).
 */

function unique(ids: readonly string[], field: string, errors: FieldError[]) {
  if (new Set(ids).size !== ids.length) errors.push({ field, message: 'ids must be unique' });
}

export function questionErrors(question: QuestionBody, at: string): FieldError[] {
  const errors: FieldError[] = [];
  switch (question.type) {
    case 'single':
      unique(
        question.options.map((o) => o.id),
        `${at}.options`,
        errors,
      );
      if (question.options.filter((o) => o.correct).length !== 1) {
        errors.push({ field: `${at}.options`, message: 'exactly one option must be correct' });
      }
      break;
    case 'multiple': {
      unique(
        question.options.map((o) => o.id),
        `${at}.options`,
        errors,
      );
      const attainable = question.options.reduce((sum, o) => sum + Math.max(0, o.fraction), 0);
      if (attainable < 1 - 1e-9) {
        errors.push({ field: `${at}.options`, message: 'the positive fractions must add up to at least 1' });
      }
      break;
    }
    case 'poll':
      unique(
        question.options.map((o) => o.id),
        `${at}.options`,
        errors,
      );
      break;
    case 'ordering':
      unique(
        question.items.map((o) => o.id),
        `${at}.items`,
        errors,
      );
      break;
    default:
      break;
  }
  return errors;
}

const plain = <T extends { id: string; text: string }>(list: readonly T[]) =>
  list.map(({ id, text }) => ({ id, text }));

export function storedForm(q: QuestionBody): QuestionBody {
  const common = {
    prompt: q.prompt,
    points: q.points ?? 1,
    imageFileId: q.imageFileId ?? null,
    explanation: q.explanation ?? '',
  };
  switch (q.type) {
    case 'single':
      return { type: q.type, ...common, options: q.options.map(({ id, text, correct }) => ({ id, text, correct })) };
    case 'multiple':
      return { type: q.type, ...common, options: q.options.map(({ id, text, fraction }) => ({ id, text, fraction })) };
    case 'true_false':
      return { type: q.type, ...common, answer: q.answer };
    case 'short_text':
      return { type: q.type, ...common, accepted: [...q.accepted], exact: q.exact ?? false };
    case 'numeric':
      return { type: q.type, ...common, answer: q.answer, tolerance: q.tolerance ?? 0, closeness: q.closeness ?? null };
    case 'ordering':
      return { type: q.type, ...common, items: plain(q.items) };
    case 'poll':
      return { type: q.type, ...common, options: plain(q.options) };
  }
}

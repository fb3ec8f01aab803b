import { type GIFTQuestion, parse } from 'gift-pegjs';
import { badRequest } from '../../../core/errors.ts';
import type { QuestionBody } from '../questions/schemas.ts';

/**
 * Moodle GIFT text to questions, through gift-pegjs (a PEG grammar of the format). What maps:
 * multiple choice (one `=` answer → single; `%n%` weights → multiple, n/100 each), TRUE/FALSE,
 * short answer (`=` answers), numerical (`#n`, `#n:tolerance`, `#low..high`). What has no
 * counterpart here (essay, matching, descriptions, categories) is skipped and reported.
 */

export interface Skipped {
  title: string | null;
  reason: string;
}

const ids = (n: number) => Array.from({ length: n }, (_, i) => `o${i + 1}`);

function fromGift(q: GIFTQuestion): QuestionBody | string {
  if (q.type === 'Category' || q.type === 'Description') return `${q.type.toLowerCase()} lines carry no question`;
  if (q.type === 'Essay' || q.type === 'Matching') return `${q.type.toLowerCase()} questions are not supported`;
  if (q.hasEmbeddedAnswers) return 'answers embedded in the text (missing word) are not supported';
  const common = {
    prompt: q.stem.text.trim(),
    points: 1,
    explanation: q.globalFeedback?.text.trim() ?? '',
    imageFileId: null,
  };
  switch (q.type) {
    case 'TF':
      return { type: 'true_false', ...common, answer: q.isTrue };
    case 'Short': {
      const accepted = q.choices.filter((c) => c.isCorrect || (c.weight ?? 0) >= 100).map((c) => c.text.text.trim());
      return accepted.length ? { type: 'short_text', ...common, accepted, exact: false } : 'no accepted answer';
    }
    case 'Numerical': {
      const choice = Array.isArray(q.choices)
        ? q.choices.find((c) => c.isCorrect || (c.weight ?? 0) >= 100)?.text
        : q.choices;
      if (!choice) return 'no full-credit answer';
      if (choice.type === 'high-low') {
        const [low, high] = [choice.numberLow ?? 0, choice.numberHigh ?? 0];
        return {
          type: 'numeric',
          ...common,
          answer: (low + high) / 2,
          tolerance: Math.abs(high - low) / 2,
          closeness: null,
        };
      }
      return { type: 'numeric', ...common, answer: choice.number ?? 0, tolerance: choice.range ?? 0, closeness: null };
    }
    case 'MC': {
      const keys = ids(q.choices.length);
      const weighted = q.choices.some((c) => c.weight !== null);
      const right = q.choices.filter((c) => c.isCorrect).length;
      if (!weighted && right === 1) {
        return {
          type: 'single',
          ...common,
          options: q.choices.map((c, i) => ({ id: keys[i] as string, text: c.text.text.trim(), correct: c.isCorrect })),
        };
      }
      return {
        type: 'multiple',
        ...common,
        options: q.choices.map((c, i) => ({
          id: keys[i] as string,
          text: c.text.text.trim(),
          fraction: c.weight !== null ? c.weight / 100 : c.isCorrect ? 1 : 0,
        })),
      };
    }
  }
}

/** The questions of a GIFT text, and what was skipped; a syntax error is a 400 with its line. */
export function importGift(text: string): { questions: QuestionBody[]; skipped: Skipped[] } {
  let parsed: GIFTQuestion[];
  try {
    parsed = parse(text.endsWith('\n') ? text : `${text}\n`);
  } catch (error) {
    const where = (error as { location?: { start: { line: number; column: number } } }).location?.start;
    throw badRequest(
      'GIFT_SYNTAX',
      `Not GIFT${where ? ` at line ${where.line}, column ${where.column}` : ''}: ${(error as Error).message}`,
    );
  }
  const questions: QuestionBody[] = [];
  const skipped: Skipped[] = [];
  for (const q of parsed) {
    const result = fromGift(q);
    if (typeof result === 'string') skipped.push({ title: 'title' in q ? q.title : null, reason: result });
    else questions.push(result);
  }
  return { questions, skipped };
}

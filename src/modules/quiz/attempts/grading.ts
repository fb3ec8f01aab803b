import type { Grading } from '../tables.ts';

/** A user's grade for a quiz from their submitted attempts (oldest first), by the quiz's method. */
export function gradeOf(method: Grading, scores: readonly number[]): number | null {
  if (scores.length === 0) return null;
  switch (method) {
    case 'highest':
      return Math.max(...scores);
    case 'first':
      return scores[0] as number;
    case 'last':
      return scores[scores.length - 1] as number;
    case 'average':
      return roundMarks(scores.reduce((sum, score) => sum + score, 0) / scores.length);
  }
}

/** Marks are kept to 4 decimals: enough for fractions of points, without float noise (0.30000000000000004). */
export const roundMarks = (value: number) => Math.round(value * 1e4) / 1e4;

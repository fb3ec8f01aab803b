/** Choice answers: single (right or wrong), multiple (per-option fractions), true/false. */

export function scoreSingle(options: ReadonlyArray<{ id: string; correct: boolean }>, chosen: string): number {
  return options.some((option) => option.id === chosen && option.correct) ? 1 : 0;
}

/**
 * The sum of the chosen options' fractions, clamped to 0–1: wrong options may subtract, but a
 * question never takes away more than it can give, nor gives more than full credit.
 */
export function scoreMultiple(options: ReadonlyArray<{ id: string; fraction: number }>, chosen: readonly string[]) {
  const picked = new Set(chosen);
  const sum = options.reduce((total, option) => total + (picked.has(option.id) ? option.fraction : 0), 0);
  return Math.min(1, Math.max(0, sum));
}

export const scoreTrueFalse = (answer: boolean, given: boolean) => (answer === given ? 1 : 0);

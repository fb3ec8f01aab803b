/**
 * Short-text answers. Unless the question asks for an exact match, an answer and an accepted text
 * are compared after normalising what people do not mean to differ in: letter case, spacing, and
 * accents ("Élysée" = "elysee": NFD splits a letter from its combining marks, which are dropped).
 */

const COMBINING_MARKS = /\p{M}/gu;
const SPACES = /\s+/gu;

export function normaliseText(text: string): string {
  return text.normalize('NFD').replace(COMBINING_MARKS, '').toLowerCase().replace(SPACES, ' ').trim();
}

/** 1 when `given` matches one of the accepted texts, else 0. */
export function scoreText(accepted: readonly string[], exact: boolean, given: string): number {
  if (exact) return accepted.includes(given.trim()) ? 1 : 0;
  const answer = normaliseText(given);
  return accepted.some((text) => normaliseText(text) === answer) ? 1 : 0;
}

/** Ordering answers (a permutation of the items, checked by answerError): the share of items in their right place. */
export function scoreOrdering(correct: readonly string[], given: readonly string[]): number {
  if (correct.length === 0) return 0;
  let inPlace = 0;
  for (const [i, id] of correct.entries()) if (given[i] === id) inPlace += 1;
  return inPlace / correct.length;
}

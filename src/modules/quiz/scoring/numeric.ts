/**
 * Numeric answers: full credit within ± `tolerance` of the answer; with `closeness`, credit then
 * falls linearly to 0 over that further distance (a near miss earns something), else nothing.
 */
export function scoreNumeric(answer: number, tolerance: number, closeness: number | null, given: number): number {
  const off = Math.abs(given - answer);
  // A hair of slack for binary floating point (0.1 + 0.2 is not 0.3).
  const slack = 1e-9 * Math.max(1, Math.abs(answer));
  if (off <= tolerance + slack) return 1;
  if (closeness === null) return 0;
  return Math.max(0, 1 - (off - tolerance) / closeness);
}

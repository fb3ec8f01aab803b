/**
 * Live scoring. A question is worth 1000 × its points × its weight; an answer earns that times its
 * correctness fraction, times a speed factor when speed scoring is on: 1 for an instant answer,
 * falling linearly to 0.5 at the deadline — so a right answer never earns less than half. With the
 * streak bonus on, a right answer also earns 100 per right answer in a row before it (up to 500).
 */

export const BASE_POINTS = 1000;
export const SPEED_FLOOR = 0.5;
export const STREAK_STEP = 100;
export const STREAK_CAP = 5;

export function speedFactor(elapsedMs: number, windowMs: number): number {
  if (windowMs <= 0) return 1;
  const share = Math.min(1, Math.max(0, elapsedMs / windowMs));
  return 1 - (1 - SPEED_FLOOR) * share;
}

export function answerPoints(input: {
  points: number;
  weight: number;
  fraction: number | null;
  elapsedMs: number;
  windowMs: number;
  speedScoring: boolean;
}): number {
  if (input.fraction === null || input.fraction <= 0) return 0;
  const speed = input.speedScoring ? speedFactor(input.elapsedMs, input.windowMs) : 1;
  return Math.round(BASE_POINTS * input.points * input.weight * input.fraction * speed);
}

/** The bonus of a right answer after `streakBefore` right answers in a row. */
export const streakBonus = (streakBefore: number) => STREAK_STEP * Math.min(streakBefore, STREAK_CAP);

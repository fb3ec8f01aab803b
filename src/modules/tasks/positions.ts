import { generateKeyBetween, generateNKeysBetween } from 'fractional-indexing';

/**
 * Manual order within a status column uses fractional indexing: a task's `position` is a string
 * key, and moving a task gives it a key between its new neighbours' keys, so nothing else is
 * renumbered. Keys compare byte-wise (the column is `collate "C"`). Neighbours are read and the
 * key written under a per-column advisory lock (see `lockColumn` in repository.ts), so two moves
 * into the same gap cannot produce the same key; a unique index backs that up.
 */

/** A key strictly between `before` and `after` (either may be null: the start or end of the column). */
export function positionBetween(before: string | null, after: string | null): string {
  return generateKeyBetween(before, after);
}

/** `count` ascending keys after `last` (null: an empty column), spaced evenly to keep them short. */
export function positionsAfter(last: string | null, count: number): string[] {
  return generateNKeysBetween(last, null, count);
}

import { DateTime } from 'luxon';
import type { FieldError } from '../../core/errors.ts';
import {
  nextOccurrenceDate,
  normalizeRule as normalize,
  type RecurrenceInput,
  type RecurrenceRule,
} from '../../lib/recurrence.ts';
import { type Due, formatLocal } from './due.ts';

/**
 * Repeating tasks: completing an occurrence creates the next one, due at the next date of the
 * rule after the completed one's due date. The rule itself (and its calendar arithmetic) is the
 * shared one in `src/lib/recurrence.ts`; this file applies it to a task's due value, whole day or
 * wall-clock time in a zone (09:00 stays 09:00 across DST; a time a spring-forward skips moves
 * forward by the gap).
 */

export type { RecurrenceInput };

function start(due: Due): DateTime {
  return due.kind === 'date'
    ? DateTime.fromISO(due.date, { zone: 'UTC' })
    : DateTime.fromISO(due.local, { zone: due.zone });
}

/** Checks a rule against the task's due date and makes its anchors explicit. */
export function normalizeRule(
  input: RecurrenceInput,
  due: Due | null,
  field: string,
  errors: FieldError[],
): RecurrenceRule | undefined {
  return normalize(input, due ? start(due) : null, field, errors, 'a repeating task needs a due date');
}

/**
 * The due value of the occurrence after `due`, or null when the rule has ended. `occurrence` is
 * the 1-based number of the occurrence being completed.
 */
export function nextOccurrence(due: Due, rule: RecurrenceRule, occurrence: number): Due | null {
  const next = nextOccurrenceDate(start(due), rule, occurrence);
  if (!next) return null;
  if (due.kind === 'date') return { kind: 'date', date: next.toFormat('yyyy-MM-dd') };
  return { kind: 'dateTime', local: formatLocal(next), zone: due.zone };
}

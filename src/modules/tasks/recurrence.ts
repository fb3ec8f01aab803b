import { DateTime } from 'luxon';
import type { FieldError } from '../../core/errors.ts';
import { type Due, formatLocal } from './due.ts';
import type { RecurrenceRule, Weekday } from './tables.ts';

/**
 * Repeating tasks. Completing an occurrence creates the next one, due at the next date of the rule
 * after the completed one's due date (RFC 5545-like, a subset):
 *
 * - `daily`, every `interval` days;
 * - `weekly` on `weekdays` (default: the due date's weekday), every `interval` weeks; weeks start
 *   on Monday and count from the week of the current due date;
 * - `monthly` on `monthDay` (default: the due date's day), every `interval` months. A month
 *   without that day uses its last day (Jan 31 → Feb 28, or 29 in a leap year → Mar 31): a task
 *   is never silently skipped for a month;
 * - `yearly` on the due date's month and day; Feb 29 falls on Feb 28 in common years.
 * - It ends after `until` (a date, inclusive) or after `count` occurrences, whichever is given.
 *
 * A due date-time keeps its wall-clock time in its zone across DST changes (09:00 stays 09:00);
 * a time that does not exist on the new day (skipped by a spring-forward) moves forward by the gap.
 * Date arithmetic is luxon's, which knows month lengths, leap years and the zone database.
 */

export interface RecurrenceInput {
  frequency: RecurrenceRule['frequency'];
  interval?: number | undefined;
  weekdays?: Weekday[] | undefined;
  monthDay?: number | undefined;
  until?: string | undefined;
  count?: number | undefined;
}

const WEEKDAYS: Weekday[] = ['mo', 'tu', 'we', 'th', 'fr', 'sa', 'su'];

/** luxon's weekday numbers: Monday 1 … Sunday 7. */
const weekdayNumber = (day: Weekday) => WEEKDAYS.indexOf(day) + 1;

const isoDate = (value: DateTime) => value.toFormat('yyyy-MM-dd');

function start(due: Due): DateTime {
  return due.kind === 'date'
    ? DateTime.fromISO(due.date, { zone: 'UTC' })
    : DateTime.fromISO(due.local, { zone: due.zone });
}

/**
 * Checks a rule against the task's due date and makes its anchors explicit, so later occurrences
 * never drift (a monthly rule on the 31st stays on the 31st after a short month).
 */
export function normalizeRule(
  input: RecurrenceInput,
  due: Due | null,
  field: string,
  errors: FieldError[],
): RecurrenceRule | undefined {
  const before = errors.length;
  if (!due) errors.push({ field, message: 'a repeating task needs a due date' });
  if (input.weekdays !== undefined && input.frequency !== 'weekly') {
    errors.push({ field: `${field}.weekdays`, message: 'only applies to weekly rules' });
  }
  if (input.monthDay !== undefined && input.frequency !== 'monthly') {
    errors.push({ field: `${field}.monthDay`, message: 'only applies to monthly rules' });
  }
  if (input.until !== undefined && input.count !== undefined) {
    errors.push({ field, message: 'give until or count, not both' });
  }
  if (input.until !== undefined) {
    const until = DateTime.fromISO(input.until, { zone: 'UTC' });
    if (!until.isValid) errors.push({ field: `${field}.until`, message: 'is not a real calendar date' });
    else if (due && input.until < isoDate(start(due))) {
      errors.push({ field: `${field}.until`, message: 'is before the due date' });
    }
  }
  if (errors.length > before || !due) return undefined;

  const first = start(due);
  const rule: RecurrenceRule = { frequency: input.frequency, interval: input.interval ?? 1 };
  if (input.frequency === 'weekly') {
    const days = input.weekdays?.length ? input.weekdays : [WEEKDAYS[first.weekday - 1] as Weekday];
    rule.weekdays = WEEKDAYS.filter((day) => days.includes(day));
  }
  if (input.frequency === 'monthly') rule.monthDay = input.monthDay ?? first.day;
  if (input.frequency === 'yearly') {
    rule.month = first.month;
    rule.monthDay = first.day;
  }
  if (input.until !== undefined) rule.until = input.until;
  if (input.count !== undefined) rule.count = input.count;
  return rule;
}

/** A day in `year`/`month`, clamped to the month's last day. */
function clampedDay(year: number, month: number, day: number): number {
  const daysInMonth = DateTime.utc(year, month, 1).daysInMonth ?? 28;
  return Math.min(day, daysInMonth);
}

function nextDate(from: DateTime, rule: RecurrenceRule): DateTime {
  switch (rule.frequency) {
    case 'daily':
      return from.plus({ days: rule.interval });
    case 'weekly': {
      const days = (rule.weekdays ?? []).map(weekdayNumber).sort((a, b) => a - b);
      const later = days.find((day) => day > from.weekday);
      if (later !== undefined) return from.plus({ days: later - from.weekday });
      const monday = from.minus({ days: from.weekday - 1 });
      return monday.plus({ weeks: rule.interval, days: (days[0] ?? from.weekday) - 1 });
    }
    case 'monthly': {
      const month = from.startOf('month').plus({ months: rule.interval });
      return from.set({
        year: month.year,
        month: month.month,
        day: clampedDay(month.year, month.month, rule.monthDay ?? from.day),
      });
    }
    case 'yearly': {
      const year = from.year + rule.interval;
      const month = rule.month ?? from.month;
      return from.set({ year, month, day: clampedDay(year, month, rule.monthDay ?? from.day) });
    }
  }
}

/**
 * The due value of the occurrence after `due`, or null when the rule has ended. `occurrence` is
 * the 1-based number of the occurrence being completed.
 */
export function nextOccurrence(due: Due, rule: RecurrenceRule, occurrence: number): Due | null {
  if (rule.count !== undefined && occurrence >= rule.count) return null;
  const from = start(due);
  // Calendar arithmetic on the local date, then the wall-clock time put back in the zone: luxon's
  // `set`/`plus` keep the local time and resolve the offset for the new day.
  const next = nextDate(from, rule);
  if (rule.until !== undefined && isoDate(next) > rule.until) return null;
  if (due.kind === 'date') return { kind: 'date', date: isoDate(next) };
  return { kind: 'dateTime', local: formatLocal(next), zone: due.zone };
}

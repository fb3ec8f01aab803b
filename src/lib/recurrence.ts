import { DateTime } from 'luxon';
import type { FieldError } from '../core/errors.ts';

/**
 * Repeat rules, shared by repeating tasks and recurring transactions (RFC 5545-like, a subset):
 *
 * - `daily`, every `interval` days;
 * - `weekly` on `weekdays` (default: the first date's weekday), every `interval` weeks; weeks start
 *   on Monday and count from the week of the current date;
 * - `monthly` on `monthDay` (default: the first date's day), every `interval` months. A month
 *   without that day uses its last day (Jan 31 → Feb 28, or 29 in a leap year → Mar 31): an
 *   occurrence is never silently skipped for a month;
 * - `yearly` on the first date's month and day; Feb 29 falls on Feb 28 in common years.
 * - It ends after `until` (a date, inclusive) or after `count` occurrences, whichever is given.
 *
 * Date arithmetic is luxon's, which knows month lengths, leap years and the zone database; a
 * date-time keeps its wall-clock time in its zone (luxon's `set`/`plus` resolve the offset anew).
 */

export type Weekday = 'mo' | 'tu' | 'we' | 'th' | 'fr' | 'sa' | 'su';

/** A repeat rule as stored: normalised on save, so every anchor (weekdays, day of month) is explicit. */
export interface RecurrenceRule {
  frequency: 'daily' | 'weekly' | 'monthly' | 'yearly';
  interval: number;
  weekdays?: Weekday[];
  monthDay?: number;
  month?: number;
  until?: string;
  count?: number;
}

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

export const isoDate = (value: DateTime) => value.toFormat('yyyy-MM-dd');

/**
 * Checks a rule against its first occurrence (`first`, null when there is none yet: an error) and
 * makes its anchors explicit, so later occurrences never drift (a monthly rule on the 31st stays
 * on the 31st after a short month).
 */
export function normalizeRule(
  input: RecurrenceInput,
  first: DateTime | null,
  field: string,
  errors: FieldError[],
  missingStart = 'a repeating rule needs a first date',
): RecurrenceRule | undefined {
  const before = errors.length;
  if (!first) errors.push({ field, message: missingStart });
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
    else if (first && input.until < isoDate(first)) {
      errors.push({ field: `${field}.until`, message: 'is before the first date' });
    }
  }
  if (errors.length > before || !first) return undefined;

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

/** The date after `from` by the rule's calendar arithmetic (ignoring `until` and `count`). */
export function nextDate(from: DateTime, rule: RecurrenceRule): DateTime {
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
 * The occurrence after `from`, which was occurrence number `occurrence` (1-based); null when the
 * rule has ended by its `count` or `until`.
 */
export function nextOccurrenceDate(from: DateTime, rule: RecurrenceRule, occurrence: number): DateTime | null {
  if (rule.count !== undefined && occurrence >= rule.count) return null;
  const next = nextDate(from, rule);
  if (rule.until !== undefined && isoDate(next) > rule.until) return null;
  return next;
}

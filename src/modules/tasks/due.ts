import { DateTime, IANAZone } from 'luxon';
import type { FieldError } from '../../core/errors.ts';

/**
 * A due date is either a whole day or a wall-clock time in a named zone (like a calendar event),
 * never a bare instant: "09:00 in Berlin" must stay 09:00 when a repeat crosses a DST change.
 */
export type Due = { kind: 'date'; date: string } | { kind: 'dateTime'; local: string; zone: string };

/** The columns a due value is stored in. */
export interface DueColumns {
  due_date: string | null;
  due_local: string | null;
  due_zone: string | null;
  due_at: Date | null;
}

/** The API's shape: `{ date }` or `{ dateTime, timeZone }`. */
export interface DueInput {
  date?: string | undefined;
  dateTime?: string | undefined;
  timeZone?: string | undefined;
}

export const NO_DUE: DueColumns = { due_date: null, due_local: null, due_zone: null, due_at: null };

/** Parses and checks the API's due value; field errors are reported under `field`. */
export function parseDue(input: DueInput, field: string, errors: FieldError[]): Due | undefined {
  if (input.date !== undefined) {
    if (input.dateTime !== undefined || input.timeZone !== undefined) {
      errors.push({ field, message: 'give either date, or dateTime with timeZone' });
      return undefined;
    }
    if (!DateTime.fromISO(input.date, { zone: 'UTC' }).isValid) {
      errors.push({ field: `${field}.date`, message: 'is not a real calendar date' });
      return undefined;
    }
    return { kind: 'date', date: input.date };
  }
  if (input.dateTime === undefined || input.timeZone === undefined) {
    errors.push({ field, message: 'give either date, or dateTime with timeZone' });
    return undefined;
  }
  if (!IANAZone.isValidZone(input.timeZone)) {
    errors.push({ field: `${field}.timeZone`, message: 'is not an IANA time zone' });
    return undefined;
  }
  const local = DateTime.fromISO(input.dateTime, { zone: input.timeZone });
  if (!local.isValid) {
    errors.push({ field: `${field}.dateTime`, message: 'is not a real date and time' });
    return undefined;
  }
  return { kind: 'dateTime', local: formatLocal(local), zone: input.timeZone };
}

export function formatLocal(value: DateTime): string {
  return value.toFormat("yyyy-MM-dd'T'HH:mm:ss");
}

/**
 * The instant a task falls due: the wall-clock time in its zone, or, for a whole day, the last
 * millisecond of that day in UTC (so a task due "today" is not overdue until the day is over, and
 * "due before 2026-03-02" includes everything due on March 1st).
 */
export function dueInstant(due: Due): Date {
  if (due.kind === 'date') return DateTime.fromISO(due.date, { zone: 'UTC' }).endOf('day').toJSDate();
  return DateTime.fromISO(due.local, { zone: due.zone }).toJSDate();
}

export function dueToColumns(due: Due | null): DueColumns {
  if (!due) return NO_DUE;
  return due.kind === 'date'
    ? { due_date: due.date, due_local: null, due_zone: null, due_at: dueInstant(due) }
    : { due_date: null, due_local: due.local, due_zone: due.zone, due_at: dueInstant(due) };
}

export function dueFromColumns(row: { due_date: string | null; due_local: string | null; due_zone: string | null }) {
  if (row.due_date) return { kind: 'date', date: row.due_date } satisfies Due;
  if (row.due_local && row.due_zone)
    return { kind: 'dateTime', local: row.due_local, zone: row.due_zone } satisfies Due;
  return null;
}

/** The API's view of a stored due value, with the instant it falls due. */
export function dueToApi(due: Due | null) {
  if (!due) return null;
  const at = dueInstant(due).toISOString();
  return due.kind === 'date' ? { date: due.date, at } : { dateTime: due.local, timeZone: due.zone, at };
}

/** Compares due values for the activity log. */
export function sameDue(a: Due | null, b: Due | null): boolean {
  return JSON.stringify(dueToApi(a)) === JSON.stringify(dueToApi(b));
}

import { DateTime } from 'luxon';
import { unprocessable } from '../../../core/errors.ts';

/**
 * Report periods are whole months (the roll-up's grain): `from` and `to` name any day of the first
 * and last month. Each month converts at the rate of its last day, or of today for the current one.
 */

export const MAX_MONTHS = 120;

export interface Months {
  from: string;
  to: string;
  months: string[];
}

export function monthsOf(query: { from?: string | undefined; to?: string | undefined }): Months {
  const now = DateTime.utc();
  const to = (query.to ? DateTime.fromISO(query.to, { zone: 'UTC' }) : now).startOf('month');
  const from = query.from ? DateTime.fromISO(query.from, { zone: 'UTC' }).startOf('month') : to.minus({ months: 11 });
  if (from > to) throw unprocessable([{ field: 'query.from', message: 'is after to' }]);
  const count = Math.round(to.diff(from, 'months').months) + 1;
  if (count > MAX_MONTHS)
    throw unprocessable([{ field: 'query.from', message: `spans more than ${MAX_MONTHS} months` }]);
  const months = Array.from({ length: count }, (_, i) => from.plus({ months: i }).toISODate() as string);
  return { from: from.toISODate() as string, to: to.toISODate() as string, months };
}

/** The date a month's amounts convert at: its last day, or today if that is still to come. */
export function rateDate(month: string): string {
  const end = DateTime.fromISO(month, { zone: 'UTC' }).endOf('month');
  const today = DateTime.utc().startOf('day');
  return (end > today ? today : end).toISODate() as string;
}

export const monthLabel = (month: string) => month.slice(0, 7);

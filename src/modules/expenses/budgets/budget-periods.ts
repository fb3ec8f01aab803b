import { DateTime } from 'luxon';
import { Big, formatMoney } from '../money.ts';
import type { BudgetPeriod, Rollover } from '../tables.ts';

/**
 * A budget's periods and its rollover, as pure functions. Periods are numbered from 0 at the
 * budget's start: months from the start's month, weeks from the start day, or the one custom range.
 * Rollover walks every period from the first, so what a period has available is the same however
 * the question is asked:
 * - `none`: the budgeted amount;
 * - `positive`: plus what was left unspent before (never less than the budgeted amount);
 * - `both`: plus what was left, or minus what was overspent: an overspent month eats into the next.
 */

const date = (value: string) => DateTime.fromISO(value, { zone: 'UTC' });
const iso = (value: DateTime) => value.toISODate() as string;

export interface BudgetShape {
  period: BudgetPeriod;
  startDate: string;
  endDate: string | null;
}

export function periodBounds(budget: BudgetShape, index: number): { start: string; end: string } {
  const start = date(budget.startDate);
  switch (budget.period) {
    case 'monthly': {
      const month = start.startOf('month').plus({ months: index });
      return { start: iso(month), end: iso(month.endOf('month')) };
    }
    case 'weekly': {
      const week = start.plus({ weeks: index });
      return { start: iso(week), end: iso(week.plus({ days: 6 })) };
    }
    case 'custom':
      return { start: budget.startDate, end: budget.endDate ?? budget.startDate };
  }
}

/** The index of the period that holds `day` (negative before the start). */
export function periodIndex(budget: BudgetShape, day: string): number {
  const start = date(budget.startDate);
  const at = date(day);
  switch (budget.period) {
    case 'monthly':
      return (at.year - start.year) * 12 + (at.month - start.month);
    case 'weekly':
      return Math.floor(at.diff(start, 'days').days / 7);
    case 'custom':
      return at < start ? -1 : 0;
  }
}

/** The last period index a budget has (custom: 0; the others: none). */
export const lastIndex = (budget: BudgetShape) => (budget.period === 'custom' ? 0 : Number.POSITIVE_INFINITY);

/**
 * Periods `0..last` with their rollover; `actuals[i]` is period i's spending. Once an actual is
 * unknown (a missing rate), every later carry is unknown too, and says so (null), never a guess.
 */
export function withRollover(
  amount: string,
  currency: string,
  rollover: Rollover,
  bounds: Array<{ start: string; end: string }>,
  actuals: Array<Big | null>,
) {
  let carry: Big | null = new Big(0);
  return bounds.map((period, i) => {
    const actual = actuals[i] === undefined ? new Big(0) : actuals[i];
    const carriedIn = carry;
    const available = carriedIn === null ? null : new Big(amount).plus(carriedIn);
    const remaining = available === null || actual === null ? null : available.minus(actual);
    carry =
      rollover === 'none'
        ? new Big(0)
        : remaining === null
          ? null
          : rollover === 'positive' && remaining.lt(0)
            ? new Big(0)
            : remaining;
    const money = (value: Big | null) => (value === null ? null : formatMoney(value, currency));
    return {
      ...period,
      budgeted: formatMoney(amount, currency),
      carriedIn: money(carriedIn),
      available: money(available),
      actual: money(actual),
      remaining: money(remaining),
    };
  });
}

import { DateTime } from 'luxon';
import type { Db } from '../../../db/database.ts';
import { Big, convert } from '../money.ts';
import { latestRate, latestRates } from './rate-repository.ts';
import type { MissingRateDto, RateUsedDto } from './rate-schemas.ts';

/**
 * Converts amounts into one reporting currency for one report, and remembers what it did. A
 * conversion uses the latest rate on or before its date that is at most `maxAgeDays` old, entered
 * either way round (EUR→USD, or USD→EUR inverted). Same currency converts at exactly 1. With no
 * such rate the answer is null, and the pair is listed in `missingRates`: never a silent 1.
 */
export class RateBook {
  private readonly cache = new Map<string, Big | null>();
  private readonly used = new Map<string, RateUsedDto>();
  private readonly missing = new Map<string, MissingRateDto>();

  private readonly db: Db;
  private readonly userId: string;
  readonly to: string;
  private readonly maxAgeDays: number;

  constructor(db: Db, userId: string, to: string, maxAgeDays: number) {
    this.db = db;
    this.userId = userId;
    this.to = to;
    this.maxAgeDays = maxAgeDays;
  }

  /**
   * Looks up the rates of `from` for many dates in two queries (direct, then inverse for the dates
   * still missing), so a report over five years costs two round trips, not a hundred.
   */
  async preload(from: string, dates: string[]): Promise<void> {
    const wanted = [...new Set(dates)].filter((date) => from !== this.to && !this.cache.has(`${from}|${date}`));
    if (wanted.length === 0) return;
    const found = new Map<string, { date: string; rate: Big }>();
    for (const row of await latestRates(this.db, this.userId, from, this.to, wanted, this.maxAgeDays)) {
      if (row.date && row.rate) found.set(row.day, { date: row.date, rate: new Big(row.rate) });
    }
    const rest = wanted.filter((date) => !found.has(date));
    if (rest.length) {
      for (const row of await latestRates(this.db, this.userId, this.to, from, rest, this.maxAgeDays)) {
        if (row.date && row.rate) found.set(row.day, { date: row.date, rate: new Big(1).div(row.rate) });
      }
    }
    for (const date of wanted) this.remember(from, date, found.get(date));
  }

  private remember(from: string, date: string, found: { date: string; rate: Big } | undefined) {
    const key = `${from}|${date}`;
    if (found) this.used.set(key, { from, to: this.to, date, rateDate: found.date, rate: found.rate.toFixed() });
    else this.missing.set(key, { from, to: this.to, date });
    this.cache.set(key, found?.rate ?? null);
  }

  async rate(from: string, date: string): Promise<Big | null> {
    if (from === this.to) return new Big(1);
    const key = `${from}|${date}`;
    if (this.cache.has(key)) return this.cache.get(key) ?? null;
    const oldest = DateTime.fromISO(date, { zone: 'UTC' }).minus({ days: this.maxAgeDays }).toISODate() as string;
    const direct = await latestRate(this.db, this.userId, from, this.to, date, oldest);
    const inverse = direct ? undefined : await latestRate(this.db, this.userId, this.to, from, date, oldest);
    const found = direct
      ? { date: direct.date, rate: new Big(direct.rate) }
      : inverse
        ? { date: inverse.date, rate: new Big(1).div(inverse.rate) }
        : undefined;
    this.remember(from, date, found);
    return found?.rate ?? null;
  }

  /** `amount` in the reporting currency (rounded to its minor units), or null when no rate was found. */
  async convert(amount: Big.BigSource, from: string, date: string): Promise<Big | null> {
    const rate = await this.rate(from, date);
    return rate === null ? null : convert(amount, rate, this.to);
  }

  summary() {
    return { ratesUsed: [...this.used.values()], missingRates: [...this.missing.values()] };
  }
}

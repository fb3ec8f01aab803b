import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import { type FieldError, unprocessable } from '../../../core/errors.ts';
import type { Db } from '../../../db/database.ts';
import { cursorScope, decodeCursor, toPage } from '../../../lib/cursor.ts';
import { rateNotFound } from '../errors.ts';
import { Big, checkCurrency } from '../money.ts';
import * as repo from './rate-repository.ts';
import type { PutRateInput } from './rate-schemas.ts';

/** Exchange rates, entered one by one or imported from CSV. */

function toRate(row: repo.RateRow) {
  return {
    base: row.base,
    quote: row.quote,
    date: row.date,
    rate: new Big(row.rate).toFixed(),
    createdAt: row.created_at.toISOString(),
  };
}

function checkRate(rate: PutRateInput, at: string, errors: FieldError[]) {
  checkCurrency(rate.base, `${at}.base`, errors);
  checkCurrency(rate.quote, `${at}.quote`, errors);
  if (rate.base === rate.quote) errors.push({ field: `${at}.quote`, message: 'is the base currency' });
  if (!/^\d{1,18}(\.\d{1,12})?$/.test(rate.rate) || new Big(rate.rate).lte(0)) {
    errors.push({ field: `${at}.rate`, message: 'is not a positive decimal (up to 12 decimals)' });
  }
  if (!/^\d{4}-\d{2}-\d{2}$/.test(rate.date) || !DateTime.fromISO(rate.date).isValid) {
    errors.push({ field: `${at}.date`, message: 'is not a date (YYYY-MM-DD)' });
  }
}

/** Entering the rate of a pair and date again replaces it. */
export async function putRate(db: Db, userId: string, input: PutRateInput) {
  const errors: FieldError[] = [];
  checkRate(input, 'body', errors);
  if (errors.length) throw unprocessable(errors);
  const [row] = await repo.upsertRates(db, userId, [input]);
  return toRate(row as repo.RateRow);
}

/** A CSV of `date,base,quote,rate` (header first): all rows or none; errors name their line. */
export async function importRates(db: Db, userId: string, csv: string) {
  let records: Record<string, string>[];
  try {
    records = parse(csv, {
      columns: (header: string[]) => header.map((h) => h.trim().toLowerCase()),
      skip_empty_lines: true,
      trim: true,
      bom: true,
    });
  } catch (error) {
    throw unprocessable([{ field: 'body.csv', message: `is not valid CSV: ${(error as Error).message}` }]);
  }
  const errors: FieldError[] = [];
  const rates = records.map((record, index) => {
    const rate = {
      date: record.date ?? '',
      base: record.base ?? '',
      quote: record.quote ?? '',
      rate: record.rate ?? '',
    };
    checkRate(rate, `body.csv.line${index + 2}`, errors);
    return rate;
  });
  if (rates.length === 0) errors.push({ field: 'body.csv', message: 'has no rows (header: date,base,quote,rate)' });
  if (errors.length) throw unprocessable(errors.slice(0, 100), 'Some rows are invalid');
  const unique = new Map(rates.map((rate) => [`${rate.base}|${rate.quote}|${rate.date}`, rate]));
  for (let i = 0; i < unique.size; i += 1000) {
    await repo.upsertRates(db, userId, [...unique.values()].slice(i, i + 1000));
  }
  return { imported: unique.size };
}

export async function listRates(
  db: Db,
  userId: string,
  query: { base?: string | undefined; quote?: string | undefined; limit: number; cursor?: string | undefined },
) {
  const { cursor, limit, ...filters } = query;
  const scope = cursorScope({ list: 'expense-rates', ...filters });
  const after = cursor ? (decodeCursor(cursor, scope, ['string', 'string', 'string']) as string[]) : undefined;
  if (
    after &&
    !(
      /^[A-Z]{3}$/.test(after[0] ?? '') &&
      /^[A-Z]{3}$/.test(after[1] ?? '') &&
      /^\d{4}-\d{2}-\d{2}$/.test(after[2] ?? '')
    )
  ) {
    throw unprocessable([{ field: 'query.cursor', message: 'is not a valid cursor for this list' }]);
  }
  const rows = await repo.listRates(db, userId, { ...filters, limit, after });
  const page = toPage(rows, limit, scope, (row) => [row.base, row.quote, row.date]);
  return { items: page.rows.map(toRate), nextCursor: page.nextCursor };
}

export async function deleteRate(db: Db, userId: string, key: { base: string; quote: string; date: string }) {
  if (!(await repo.deleteRate(db, userId, key))) throw rateNotFound();
}

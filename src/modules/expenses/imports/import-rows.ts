import { createHash } from 'node:crypto';
import { DateTime } from 'luxon';
import { type FieldError, unprocessable } from '../../../core/errors.ts';
import type { Db } from '../../../db/database.ts';
import { Big, checkAmount } from '../money.ts';
import { normalizeAmount as normalizeAmountOf, type ParsedCsv } from './csv-detect.ts';
import * as repo from './import-repository.ts';
import type { PreviewRowDto } from './import-schemas.ts';

/**
 * A file's rows as transactions-to-be, and what each of them is:
 * - `duplicate`: the account already has it: the same bank id, or the same date, amount and text
 *   *at the same occurrence index in its file* (the second identical coffee of a day is index 1,
 *   so two real coffees both stay, and a re-import of the file adds nothing);
 * - `possible_duplicate`: not the same, but the account has a transaction of the same amount
 *   within a few days (entered by hand, say): proposed with that match, imported only if chosen;
 * - `invalid`: a date or amount that cannot be read, with the reason;
 * - `new`: everything else.
 */

/** How many days apart a same-amount transaction still counts as a possible duplicate. */
export const POSSIBLE_DUPLICATE_DAYS = 3;

export interface Row extends PreviewRowDto {
  importKey: string | null;
}

export function draftRows(parsed: ParsedCsv, currency: string): Row[] {
  const { mapping, dateFormat, decimalSeparator } = parsed;
  const mappingErrors: FieldError[] = [];
  if (!mapping.date) mappingErrors.push({ field: 'body.mapping.date', message: 'no date column was found; name it' });
  if (!mapping.amount && !mapping.debit && !mapping.credit) {
    mappingErrors.push({
      field: 'body.mapping.amount',
      message: 'no amount (or debit/credit) column was found; name it',
    });
  }
  for (const [field, column] of Object.entries(mapping)) {
    if (column && !parsed.columns.includes(column)) {
      mappingErrors.push({ field: `body.mapping.${field}`, message: `is not a column of the file` });
    }
  }
  if (!dateFormat) mappingErrors.push({ field: 'body.dateFormat', message: 'could not be detected; give it' });
  if (mappingErrors.length) throw unprocessable(mappingErrors, 'The file cannot be read this way');

  const seen = new Map<string, number>();
  return parsed.records.map(({ line, values }) => {
    const errors: FieldError[] = [];
    const at = (field: string) => `line ${line}.${field}`;
    const rawDate = (values[mapping.date as string] ?? '').trim();
    const parsedDate = DateTime.fromFormat(rawDate, dateFormat as string, { zone: 'UTC' });
    const date = parsedDate.isValid ? (parsedDate.toISODate() as string) : null;
    if (!date) errors.push({ field: at('date'), message: `"${rawDate}" is not a date in ${dateFormat}` });
    const signed = signedAmount(values, parsed, errors, at);
    const amount = signed ? new Big(signed).abs().toFixed() : null;
    if (amount) checkAmount(amount, currency, at('amount'), errors, { positive: true });
    const description = (values[mapping.description ?? ''] ?? '').trim().slice(0, 2000);
    const bankId = (values[mapping.bankId ?? ''] ?? '').trim().slice(0, 200) || null;
    // Names as long as a category's or payee's may be (label-schemas.ts).
    const category = (values[mapping.category ?? ''] ?? '').trim().slice(0, 100) || null;
    const payee = (values[mapping.payee ?? ''] ?? '').trim().slice(0, 200) || null;
    let importKey: string | null = null;
    if (date && signed) {
      const identity = `${date}|${new Big(signed).toFixed()}|${description}`;
      const index = seen.get(identity) ?? 0;
      seen.set(identity, index + 1);
      importKey = createHash('sha256').update(`${identity}|${index}`).digest('base64url');
    }
    return {
      line,
      status: errors.length ? 'invalid' : 'new',
      date,
      amount,
      kind: signed ? (signed.startsWith('-') ? 'expense' : 'income') : null,
      description,
      bankId,
      category,
      categoryId: null,
      payee,
      payeeId: null,
      match: null,
      errors,
      importKey,
    };
  });

  function signedAmount(
    values: Record<string, string>,
    p: ParsedCsv,
    errors: FieldError[],
    at: (field: string) => string,
  ): string | null {
    const read = (column: string | undefined) =>
      column && (values[column] ?? '').trim() !== '' ? normalized(values[column] as string, column) : undefined;
    const normalized = (raw: string, column: string) => {
      const value = normalizeAmountOf(raw, decimalSeparator);
      if (value === undefined) errors.push({ field: at('amount'), message: `"${raw}" in ${column} is not an amount` });
      return value;
    };
    const amount = read(p.mapping.amount);
    if (amount !== undefined) return amount;
    const debit = read(p.mapping.debit);
    if (debit !== undefined) return debit.startsWith('-') ? debit : `-${debit}`;
    const credit = read(p.mapping.credit);
    if (credit !== undefined) return credit.replace(/^-/, '');
    if (!errors.length) errors.push({ field: at('amount'), message: 'is empty' });
    return null;
  }
}

/** Marks duplicates and possible duplicates against what the account already holds. */
export async function classify(db: Db, accountId: string, rows: Row[]): Promise<Row[]> {
  const valid = rows.filter((row) => row.status === 'new');
  const existing = await repo.existingKeys(
    db,
    accountId,
    valid.flatMap((row) => row.bankId ?? []),
    valid.flatMap((row) => row.importKey ?? []),
  );
  const byBankId = new Map(existing.filter((t) => t.bank_id).map((t) => [t.bank_id, t.id]));
  const byKey = new Map(existing.filter((t) => t.import_key).map((t) => [t.import_key, t.id]));
  for (const row of valid) {
    const match = (row.bankId && byBankId.get(row.bankId)) || (row.importKey && byKey.get(row.importKey));
    if (match) Object.assign(row, { status: 'duplicate', match });
  }
  const fresh = valid.filter((row) => row.status === 'new');
  if (fresh.length === 0) return rows;
  const dates = fresh.map((row) => row.date as string).sort();
  const around = (date: string, days: number) =>
    DateTime.fromISO(date, { zone: 'UTC' }).plus({ days }).toISODate() as string;
  const window = await repo.transactionsBetween(
    db,
    accountId,
    around(dates[0] as string, -POSSIBLE_DUPLICATE_DAYS),
    around(dates.at(-1) as string, POSSIBLE_DUPLICATE_DAYS),
  );
  const claimed = new Set(existing.map((t) => t.id));
  for (const row of fresh) {
    const candidate = window.find(
      (t) =>
        !claimed.has(t.id) &&
        t.kind === row.kind &&
        new Big(t.amount).eq(row.amount as string) &&
        Math.abs(DateTime.fromISO(t.date).diff(DateTime.fromISO(row.date as string), 'days').days) <=
          POSSIBLE_DUPLICATE_DAYS,
    );
    if (candidate) {
      claimed.add(candidate.id);
      Object.assign(row, { status: 'possible_duplicate', match: candidate.id });
    }
  }
  return rows;
}

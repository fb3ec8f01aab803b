import { parse } from 'csv-parse/sync';
import { DateTime } from 'luxon';
import { unprocessable } from '../../../core/errors.ts';

/**
 * Reading a bank's CSV: which delimiter, which columns hold what, how dates and decimals are
 * written. Each is detected from the file and can be overridden by the caller; parsing itself is
 * csv-parse's (quotes, escaped quotes, line breaks in fields, a BOM).
 */

export const DELIMITERS = [',', ';', '\t', '|'] as const;
export const DATE_FORMATS = [
  'yyyy-MM-dd',
  'dd.MM.yyyy',
  'dd/MM/yyyy',
  'MM/dd/yyyy',
  'yyyy/MM/dd',
  'dd-MM-yyyy',
  'd.M.yyyy',
  'd/M/yyyy',
  'M/d/yyyy',
] as const;
export type DecimalSeparator = '.' | ',';

export interface Mapping {
  date: string;
  amount?: string | undefined;
  debit?: string | undefined;
  credit?: string | undefined;
  description?: string | undefined;
  bankId?: string | undefined;
  category?: string | undefined;
  payee?: string | undefined;
}

export interface CsvOptions {
  delimiter?: string | undefined;
  dateFormat?: string | undefined;
  decimalSeparator?: DecimalSeparator | undefined;
  mapping?: Partial<Mapping> | undefined;
}

/** The delimiter that splits the header line into the most fields. */
function detectDelimiter(csv: string): string {
  const header = csv.replace(/^\uFEFF/, '').split(/\r?\n/, 1)[0] ?? '';
  const unquoted = header.replace(/"[^"]*"/g, '');
  return [...DELIMITERS].sort((a, b) => unquoted.split(b).length - unquoted.split(a).length)[0] as string;
}

const GUESSES: Array<[keyof Mapping, RegExp]> = [
  ['bankId', /^(id|transaction ?id|reference|ref|fitid)$/i],
  ['date', /date|datum|fecha|booking|buchung|valuta|posted/i],
  ['debit', /debit|withdrawal|paid out|money out|^out$|soll/i],
  ['credit', /credit|deposit|paid in|money in|^in$|haben/i],
  ['amount', /amount|betrag|importe|value|sum/i],
  ['description', /desc|memo|payee|text|narrative|details|name|purpose|verwendungszweck|counterparty/i],
  // Guessed last, from the columns left over, so a file mapped before these existed maps the same
  // way (its description, and so its rows' import keys, do not move to another column).
  ['category', /^(category|categories|kategorie|categoría|catégorie)$/i],
  ['payee', /payee|counterparty|merchant|beneficiary|empfänger|recipient/i],
];

function guessMapping(columns: string[]): Partial<Mapping> {
  const mapping: Partial<Mapping> = {};
  for (const [field, pattern] of GUESSES) {
    const column = columns.find((c) => pattern.test(c) && !Object.values(mapping).includes(c));
    if (column) mapping[field] = column;
  }
  return mapping;
}

function detectDateFormat(values: string[]): string | undefined {
  const sample = values.filter((v) => v.trim() !== '').slice(0, 200);
  return DATE_FORMATS.find((format) => sample.every((v) => DateTime.fromFormat(v.trim(), format).isValid));
}

/** `,` when the amounts read as comma decimals (`1.234,56`, `12,5`), else `.`. */
function detectDecimal(values: string[]): DecimalSeparator {
  let comma = 0;
  let dot = 0;
  for (const raw of values.slice(0, 500)) {
    const v = raw.replace(/[^\d.,]/g, '');
    const lastComma = v.lastIndexOf(',');
    const lastDot = v.lastIndexOf('.');
    if (lastComma > lastDot && /,\d{1,2}$/.test(v)) comma += 1;
    else if (lastDot > lastComma && /\.\d{1,4}$/.test(v)) dot += 1;
  }
  return comma > dot ? ',' : '.';
}

/** An amount as a plain decimal string (`-1234.56`), or undefined when it is not a number. */
export function normalizeAmount(raw: string, decimal: DecimalSeparator): string | undefined {
  let v = raw.trim();
  if (v === '') return undefined;
  const negative = /^\(.*\)$/.test(v) || /^-|-$/.test(v.replace(/[^\d.,()-]/g, ''));
  v = v.replace(/[^\d.,]/g, '');
  const thousands = decimal === ',' ? '.' : ',';
  v = v.split(thousands).join('');
  if (decimal === ',') v = v.replace(',', '.');
  if (!/^\d+(\.\d+)?$/.test(v)) return undefined;
  v = v.replace(/^0+(?=\d)/, '');
  return negative && !/^0(\.0+)?$/.test(v) ? `-${v}` : v;
}

export interface ParsedCsv {
  delimiter: string;
  dateFormat: string | undefined;
  decimalSeparator: DecimalSeparator;
  columns: string[];
  mapping: Partial<Mapping>;
  /** Data rows with their 1-based line number in the file (the header is line 1). */
  records: Array<{ line: number; values: Record<string, string> }>;
}

/** `field` names where the CSV came from in errors: `body.csv`, or `body.fileId` for an uploaded file. */
export function readCsv(csv: string, options: CsvOptions, field = 'body.csv'): ParsedCsv {
  const delimiter = options.delimiter ?? detectDelimiter(csv);
  let rows: Array<{ record: string[]; info: { lines: number } }>;
  try {
    rows = parse(csv, {
      delimiter,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as typeof rows;
  } catch (error) {
    throw unprocessable([{ field, message: `is not valid CSV: ${(error as Error).message}` }]);
  }
  const [header, ...data] = rows;
  if (!header || data.length === 0) {
    throw unprocessable([{ field, message: 'needs a header line and at least one row' }]);
  }
  const columns = header.record.map((c) => c.trim());
  const records = data.map(({ record, info }) => ({
    line: info.lines,
    values: Object.fromEntries(columns.map((c, i) => [c, record[i] ?? ''])),
  }));
  const mapping = { ...guessMapping(columns), ...options.mapping };
  const column = (name: string | undefined) => (name ? records.map((r) => r.values[name] ?? '') : []);
  const amounts = [...column(mapping.amount), ...column(mapping.debit), ...column(mapping.credit)];
  return {
    delimiter,
    dateFormat: options.dateFormat ?? detectDateFormat(column(mapping.date)),
    decimalSeparator: options.decimalSeparator ?? detectDecimal(amounts),
    columns,
    mapping,
    records,
  };
}

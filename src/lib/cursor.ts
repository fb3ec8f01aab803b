import { createHash } from 'node:crypto';
import { unprocessable } from '../core/errors.ts';
import { stableStringify } from './stable-stringify.ts';

/**
 * Keyset pagination cursors, shared by every list.
 *
 * A cursor is the sort key and id of the last row of a page, plus a `scope` naming the ordering
 * and the filters it was made for, JSON-encoded as base64url. It is opaque to clients, not secret:
 * it only positions the scan; the query's own WHERE still decides what the caller may see. What
 * the server does protect against is a cursor it did not make: every value is checked against the
 * kind the query expects before it reaches SQL, so a tampered cursor is a 422, never a 500.
 */

/** How a cursor value is checked. Timestamps are millisecond ISO strings (columns are `timestamptz(3)`). */
export type CursorValueKind = 'timestamp' | 'integer' | 'string' | 'uuid';
export type CursorValue = string | number;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_STRING = 512;
/** The longest cursor accepted (the query schemas' `cursor` bound too). */
export const MAX_CURSOR = 2048;

/**
 * A short, stable digest of whatever makes two queries "the same list" (sort, order, filters), so
 * a cursor from one list is refused by another instead of silently skipping rows.
 */
export function cursorScope(parts: Record<string, unknown>): string {
  return createHash('sha256').update(stableStringify(parts)).digest('base64url').slice(0, 16);
}

export function encodeCursor(scope: string, values: CursorValue[]): string {
  return Buffer.from(JSON.stringify({ s: scope, v: values })).toString('base64url');
}

/** Decodes and checks a cursor; throws a 422 on `query.cursor` for anything the server did not make. */
export function decodeCursor(cursor: string, scope: string, kinds: readonly CursorValueKind[]): CursorValue[] {
  const invalid = (message = 'is not a valid cursor for this list') =>
    unprocessable([{ field: 'query.cursor', message }], 'The cursor is invalid');
  if (cursor.length > MAX_CURSOR || !/^[A-Za-z0-9_-]+$/.test(cursor)) throw invalid();
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    throw invalid();
  }
  if (typeof parsed !== 'object' || parsed === null) throw invalid();
  const { s, v } = parsed as { s?: unknown; v?: unknown };
  if (s !== scope) throw invalid('was made for a different sort or filter');
  if (!Array.isArray(v) || v.length !== kinds.length) throw invalid();
  return v.map((value, index) => {
    const kind = kinds[index] as CursorValueKind;
    if (!isValid(kind, value)) throw invalid();
    return value as CursorValue;
  });
}

function isValid(kind: CursorValueKind, value: unknown): boolean {
  switch (kind) {
    case 'integer':
      return typeof value === 'number' && Number.isSafeInteger(value);
    case 'uuid':
      return typeof value === 'string' && UUID.test(value);
    case 'string':
      return typeof value === 'string' && value.length <= MAX_STRING;
    case 'timestamp': {
      // Only the exact form we emit (Date#toISOString), and only a real instant: "2026-02-30"
      // would otherwise reach PostgreSQL and fail there.
      if (typeof value !== 'string') return false;
      const date = new Date(value);
      return !Number.isNaN(date.getTime()) && date.toISOString() === value;
    }
  }
}

/** The value a timestamp sort key takes in a cursor. */
export function timestampKey(value: Date | string): string {
  return (value instanceof Date ? value : new Date(value)).toISOString();
}

/**
 * Turns the `limit + 1` rows a keyset query fetched into a page: the extra row only tells that
 * there is more, and the cursor points after the last row returned.
 */
export function toPage<T>(
  rows: T[],
  limit: number,
  scope: string,
  keyOf: (row: T) => CursorValue[],
): { rows: T[]; nextCursor: string | null } {
  if (rows.length <= limit) return { rows, nextCursor: null };
  const page = rows.slice(0, limit);
  return { rows: page, nextCursor: encodeCursor(scope, keyOf(page[page.length - 1] as T)) };
}

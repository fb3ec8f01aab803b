import { unprocessable } from '../../core/errors.ts';

/**
 * Opaque keyset cursors: the sort key of the last item of a page, base64url-encoded so clients
 * treat it as a token rather than build it. A cursor that does not decode is a 422 on `cursor`.
 */
export function encodeCursor(key: string | number): string {
  return Buffer.from(JSON.stringify([key])).toString('base64url');
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function decode(cursor: string): unknown {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown;
    return Array.isArray(parsed) ? parsed[0] : undefined;
  } catch {
    return undefined;
  }
}

const invalid = () => unprocessable([{ field: 'querystring.cursor', message: 'is not a cursor this list issued' }]);

/** A cursor whose key is a row's uuid (lists ordered by a timestamp, with the id as tie-break). */
export function decodeUuidCursor(cursor: string | undefined): string | undefined {
  if (cursor === undefined) return undefined;
  const key = decode(cursor);
  if (typeof key === 'string' && UUID.test(key)) return key;
  throw invalid();
}

/** A cursor whose key is a row's integer id (lists ordered by a bigint identity). */
export function decodeIntegerCursor(cursor: string | undefined): number | undefined {
  if (cursor === undefined) return undefined;
  const key = decode(cursor);
  if (typeof key === 'number' && Number.isSafeInteger(key) && key > 0) return key;
  throw invalid();
}

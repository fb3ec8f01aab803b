import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import '../../src/db/database.ts'; // registers the parsers

const parse = pg.types.getTypeParser(pg.types.builtins.TIMESTAMPTZ) as (value: string) => Date | number;
const iso = (value: string) => {
  const parsed = parse(value);
  return parsed instanceof Date ? parsed.toISOString() : parsed;
};

test('timestamptz in every form PostgreSQL writes it', () => {
  // The fast path: ISO output, any offset, with or without fractional seconds.
  assert.equal(iso('2026-11-24 11:10:36.097123+00'), '2026-11-24T11:10:36.097Z');
  assert.equal(iso('2026-11-24 11:10:36+00'), '2026-11-24T11:10:36.000Z');
  assert.equal(iso('2026-11-24 11:10:36.5+05:30'), '2026-11-24T05:40:36.500Z');
  assert.equal(iso('2026-02-28 23:59:59.999-03'), '2026-03-01T02:59:59.999Z');
  assert.equal(iso('1900-01-01 00:00:00+01:23:45'), new Date(Date.UTC(1899, 11, 31, 22, 36, 15)).toISOString());
  // The rest goes to pg's own parser.
  assert.equal(iso('0044-03-15 12:00:00+00 BC'), '-000043-03-15T12:00:00.000Z');
  assert.equal(iso('12026-11-24 11:10:36+00'), '+012026-11-24T11:10:36.000Z');
  assert.equal(iso('infinity'), Number.POSITIVE_INFINITY);
  assert.equal(iso('-infinity'), Number.NEGATIVE_INFINITY);
});

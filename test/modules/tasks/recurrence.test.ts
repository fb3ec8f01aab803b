import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FieldError } from '../../../src/core/errors.ts';
import { type Due, dueInstant } from '../../../src/modules/tasks/due.ts';
import { nextOccurrence, normalizeRule, type RecurrenceInput } from '../../../src/modules/tasks/recurrence.ts';

/** The due values of the occurrences after `first`, following the rule until it ends (or `max`). */
function series(first: Due, input: RecurrenceInput, max = 6): string[] {
  const errors: FieldError[] = [];
  const rule = normalizeRule(input, first, 'recurrence', errors);
  assert.deepEqual(errors, []);
  assert.ok(rule);
  const out: string[] = [];
  let due: Due | null = first;
  for (let occurrence = 1; due && out.length < max; occurrence++) {
    due = nextOccurrence(due, rule, occurrence);
    if (due) out.push(due.kind === 'date' ? due.date : `${due.local} ${dueInstant(due).toISOString()}`);
  }
  return out;
}

const day = (date: string): Due => ({ kind: 'date', date });

describe('recurrence: next occurrence dates', () => {
  test('monthly on the 31st uses the last day of shorter months, then returns to the 31st', () => {
    assert.deepEqual(series(day('2025-01-31'), { frequency: 'monthly' }, 4), [
      '2025-02-28',
      '2025-03-31',
      '2025-04-30',
      '2025-05-31',
    ]);
    assert.deepEqual(series(day('2024-01-31'), { frequency: 'monthly' }, 2), ['2024-02-29', '2024-03-31']);
    assert.deepEqual(series(day('2024-11-30'), { frequency: 'monthly', interval: 3 }, 3), [
      '2025-02-28',
      '2025-05-30',
      '2025-08-30',
    ]);
    assert.deepEqual(series(day('2025-01-05'), { frequency: 'monthly', monthDay: 31 }, 2), [
      '2025-02-28',
      '2025-03-31',
    ]);
  });

  test('yearly on Feb 29 falls on Feb 28 in common years and Feb 29 in leap years', () => {
    assert.deepEqual(series(day('2024-02-29'), { frequency: 'yearly' }, 4), [
      '2025-02-28',
      '2026-02-28',
      '2027-02-28',
      '2028-02-29',
    ]);
    assert.deepEqual(series(day('2096-02-29'), { frequency: 'yearly', interval: 4 }, 2), ['2100-02-28', '2104-02-29']);
  });

  test('daily and weekly, with intervals, across a year end and a leap day', () => {
    assert.deepEqual(series(day('2024-02-27'), { frequency: 'daily', interval: 2 }, 2), ['2024-02-29', '2024-03-02']);
    assert.deepEqual(series(day('2025-12-30'), { frequency: 'daily' }, 3), ['2025-12-31', '2026-01-01', '2026-01-02']);
    // Wednesday 2026-11-25, every 2 weeks on Monday and Friday: Friday this week, then the Monday two weeks on.
    assert.deepEqual(series(day('2026-11-25'), { frequency: 'weekly', interval: 2, weekdays: ['mo', 'fr'] }, 4), [
      '2026-11-27',
      '2026-12-07',
      '2026-12-11',
      '2026-12-21',
    ]);
    assert.deepEqual(series(day('2026-01-05'), { frequency: 'weekly' }, 2), ['2026-01-12', '2026-01-19']);
  });

  test('a wall-clock time stays put across DST changes; a time skipped by spring-forward moves forward', () => {
    const berlin = (local: string): Due => ({ kind: 'dateTime', local, zone: 'Europe/Berlin' });
    // DST starts in Europe on 2026-03-29: 09:00 is 08:00Z before and 07:00Z after.
    assert.deepEqual(series(berlin('2026-03-28T09:00:00'), { frequency: 'daily' }, 2), [
      '2026-03-29T09:00:00 2026-03-29T07:00:00.000Z',
      '2026-03-30T09:00:00 2026-03-30T07:00:00.000Z',
    ]);
    // ... and ends on 2026-10-25.
    assert.deepEqual(series(berlin('2026-10-18T09:00:00'), { frequency: 'weekly' }, 1), [
      '2026-10-25T09:00:00 2026-10-25T08:00:00.000Z',
    ]);
    assert.deepEqual(series(berlin('2026-03-28T02:30:00'), { frequency: 'daily' }, 1), [
      '2026-03-29T03:30:00 2026-03-29T01:30:00.000Z',
    ]);
    const newYork: Due = { kind: 'dateTime', local: '2026-02-08T18:00:00', zone: 'America/New_York' };
    assert.deepEqual(series(newYork, { frequency: 'monthly' }, 2), [
      '2026-03-08T18:00:00 2026-03-08T22:00:00.000Z',
      '2026-04-08T18:00:00 2026-04-08T22:00:00.000Z',
    ]);
  });

  test('ends after `until` (inclusive) or after `count` occurrences', () => {
    assert.deepEqual(series(day('2026-01-01'), { frequency: 'daily', until: '2026-01-03' }), [
      '2026-01-02',
      '2026-01-03',
    ]);
    assert.deepEqual(series(day('2026-01-01'), { frequency: 'weekly', count: 3 }), ['2026-01-08', '2026-01-15']);
    assert.deepEqual(series(day('2026-01-01'), { frequency: 'yearly', count: 1 }), []);
  });

  test('rules are validated and their anchors made explicit', () => {
    const errors: FieldError[] = [];
    assert.deepEqual(normalizeRule({ frequency: 'weekly' }, day('2026-11-25'), 'r', errors), {
      frequency: 'weekly',
      interval: 1,
      weekdays: ['we'],
    });
    assert.deepEqual(normalizeRule({ frequency: 'yearly' }, day('2024-02-29'), 'r', errors), {
      frequency: 'yearly',
      interval: 1,
      month: 2,
      monthDay: 29,
    });
    assert.deepEqual(errors, []);
    const invalid: FieldError[] = [];
    const rule = { frequency: 'daily', monthDay: 3, weekdays: ['mo'], until: '2025-01-01', count: 2 } as const;
    normalizeRule({ ...rule, weekdays: [...rule.weekdays] }, day('2026-01-01'), 'r', invalid);
    assert.deepEqual(invalid.map((e) => e.field).sort(), ['r', 'r.monthDay', 'r.until', 'r.weekdays']);
    const noDue: FieldError[] = [];
    assert.equal(normalizeRule({ frequency: 'daily' }, null, 'r', noDue), undefined);
    assert.deepEqual(noDue, [{ field: 'r', message: 'a repeating task needs a due date' }]);
  });
});

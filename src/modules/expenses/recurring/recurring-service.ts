import { DateTime } from 'luxon';
import { type FieldError, unprocessable } from '../../../core/errors.ts';
import { checkVersion } from '../../../core/etag.ts';
import type { Jobs } from '../../../core/jobs/index.ts';
import type { Db } from '../../../db/database.ts';
import { inTransaction } from '../../../db/transactions.ts';
import { isoDate, nextOccurrenceDate, normalizeRule } from '../../../lib/recurrence.ts';
import { recurringNotFound } from '../errors.ts';
import { Big, checkAmount, formatMoney } from '../money.ts';
import { createdCursor, createdPage } from '../paging.ts';
import { checkTransaction } from '../transactions/transaction-check.ts';
import { recurringJob } from './recurring-job.ts';
import * as repo from './recurring-repository.ts';
import type { CreateRecurringInput, RecurringDto, UpdateRecurringInput } from './recurring-schemas.ts';

/** Recurring rules: what to record, and when; the runner (`recurring-runner.ts`) records it. */

export interface RecurringContext {
  db: Db;
  jobs: Jobs;
}

function toRecurring(row: repo.RuleRow): RecurringDto {
  const t = row.template;
  return {
    id: row.id,
    name: row.name,
    accountId: row.account_id,
    kind: t.kind,
    amount: formatMoney(t.amount, row.currency),
    currency: row.currency,
    categoryId: t.categoryId,
    payeeId: t.payeeId,
    note: t.note,
    toAccountId: t.toAccountId,
    toAmount: t.toAmount,
    startDate: row.start_date,
    rule: row.rule,
    nextDate: row.next_date,
    made: row.made,
    expectedMin: row.expected_min === null ? null : formatMoney(row.expected_min, row.currency),
    expectedMax: row.expected_max === null ? null : formatMoney(row.expected_max, row.currency),
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function getRecurring(db: Db, userId: string, id: string) {
  const row = await repo.findRule(db, userId, id);
  if (!row) throw recurringNotFound();
  return toRecurring(row);
}

function checkRange(
  min: string | null | undefined,
  max: string | null | undefined,
  currency: string,
  errors: FieldError[],
) {
  if (min) checkAmount(min, currency, 'body.expectedMin', errors);
  if (max) checkAmount(max, currency, 'body.expectedMax', errors);
  if (min && max && new Big(min).gt(max)) errors.push({ field: 'body.expectedMin', message: 'is above expectedMax' });
}

export async function createRecurring(ctx: RecurringContext, userId: string, input: CreateRecurringInput) {
  const id = await inTransaction(ctx.db, async (trx) => {
    const checked = await checkTransaction(trx, userId, { ...input, date: input.startDate });
    const errors: FieldError[] = [];
    const rule = normalizeRule(input.rule, DateTime.fromISO(input.startDate, { zone: 'UTC' }), 'body.rule', errors);
    checkRange(input.expectedMin, input.expectedMax, checked.currency, errors);
    if (errors.length || !rule) throw unprocessable(errors);
    const id = await repo.insertRule(trx, {
      user_id: userId,
      name: input.name,
      account_id: input.accountId,
      template: JSON.stringify({
        kind: checked.kind,
        amount: checked.amount,
        categoryId: checked.lines[0]?.categoryId ?? null,
        payeeId: checked.payeeId,
        note: checked.note,
        toAccountId: checked.transfer?.toAccountId ?? null,
        toAmount: checked.transfer?.toAmount ?? null,
      }),
      rule: JSON.stringify(rule),
      start_date: input.startDate,
      next_date: input.startDate,
      expected_min: input.expectedMin ?? null,
      expected_max: input.expectedMax ?? null,
    });
    // Occurrences already due (a rule starting today, or in the past) are made within seconds.
    await ctx.jobs.enqueue(trx, recurringJob, {});
    return id;
  });
  return getRecurring(ctx.db, userId, id);
}

export async function listRecurring(db: Db, userId: string, query: { limit: number; cursor?: string }) {
  const { scope, after } = createdCursor('expense-recurring', {}, query);
  const rows = await repo.listRules(db, userId, { limit: query.limit, after });
  return createdPage(rows, query.limit, scope, toRecurring);
}

export async function updateRecurring(
  db: Db,
  userId: string,
  id: string,
  input: UpdateRecurringInput,
  expected: number | undefined,
) {
  await inTransaction(db, async (trx) => {
    const row = await repo.findRule(trx, userId, id, { lock: true });
    if (!row) throw recurringNotFound();
    checkVersion(expected, row.version);
    const errors: FieldError[] = [];
    if (input.amount !== undefined) checkAmount(input.amount, row.currency, 'body.amount', errors, { positive: true });
    const min = input.expectedMin !== undefined ? input.expectedMin : row.expected_min;
    const max = input.expectedMax !== undefined ? input.expectedMax : row.expected_max;
    checkRange(min, max, row.currency, errors);
    if (input.amount !== undefined && row.template.kind === 'transfer' && row.template.toAccountId) {
      errors.push({ field: 'body.amount', message: "a transfer rule's amounts are fixed; make a new rule" });
    }
    if (errors.length) throw unprocessable(errors);
    const template = {
      ...row.template,
      ...(input.amount !== undefined && { amount: input.amount }),
      ...(input.note !== undefined && { note: input.note }),
    };
    await repo.updateRule(trx, id, {
      ...(input.name !== undefined && { name: input.name }),
      template: JSON.stringify(template),
      expected_min: min,
      expected_max: max,
    });
  });
  return getRecurring(db, userId, id);
}

/** The transactions a rule made stay (they happened); they just no longer point at it. */
export async function deleteRecurring(db: Db, userId: string, id: string, expected: number | undefined) {
  await inTransaction(db, async (trx) => {
    const row = await repo.findRule(trx, userId, id, { lock: true });
    if (!row) throw recurringNotFound();
    checkVersion(expected, row.version);
    await repo.deleteRule(trx, id);
  });
}

const MAX_UPCOMING = 500;

/** Occurrences not made yet, up to `until`, soonest first. */
export async function upcoming(db: Db, userId: string, until: string | undefined) {
  const end = until ?? (DateTime.utc().plus({ days: 30 }).toISODate() as string);
  const rules = await repo.listRules(db, userId, { limit: MAX_UPCOMING });
  const items = [];
  for (const rule of rules) {
    let date = rule.next_date;
    let made = rule.made;
    while (date !== null && date <= end && items.length < MAX_UPCOMING * 4) {
      items.push({
        recurringId: rule.id,
        name: rule.name,
        date,
        amount: formatMoney(rule.template.amount, rule.currency),
        currency: rule.currency,
        kind: rule.template.kind,
      });
      made += 1;
      const next = nextOccurrenceDate(DateTime.fromISO(date, { zone: 'UTC' }), rule.rule, made);
      date = next ? isoDate(next) : null;
    }
  }
  items.sort((a, b) => a.date.localeCompare(b.date) || a.recurringId.localeCompare(b.recurringId));
  return { items: items.slice(0, MAX_UPCOMING) };
}

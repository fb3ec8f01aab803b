import { DateTime } from 'luxon';
import { type FieldError, unprocessable } from '../../../core/errors.ts';
import { checkVersion } from '../../../core/etag.ts';
import type { Db } from '../../../db/database.ts';
import { found, inTransaction } from '../../../db/transactions.ts';
import { budgetNotFound } from '../errors.ts';
import { categoryFamily, findCategory } from '../labels/label-repository.ts';
import { Big, checkAmount, checkCurrency, formatMoney } from '../money.ts';
import { createdCursor, createdPage } from '../paging.ts';
import { RateBook } from '../rates/conversion.ts';
import { lastIndex, periodBounds, periodIndex, withRollover } from './budget-periods.ts';
import * as repo from './budget-repository.ts';
import type { BudgetDto, CreateBudgetInput, UpdateBudgetInput } from './budget-schemas.ts';

/** Budgets: an amount per category and period, with rollover, measured against what was spent. */

/** A history longer than this many periods is refused rather than walked (weekly for ~20 years). */
const MAX_PERIODS = 1100;

function toBudget(row: repo.BudgetRow): BudgetDto {
  return {
    id: row.id,
    categoryId: row.category_id,
    amount: formatMoney(row.amount, row.currency),
    currency: row.currency,
    period: row.period,
    startDate: row.start_date,
    endDate: row.end_date,
    rollover: row.rollover,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function getBudget(db: Db, userId: string, id: string) {
  const row = await repo.findBudget(db, userId, id);
  if (!row) throw budgetNotFound();
  return toBudget(row);
}

const today = () => DateTime.utc().toISODate() as string;

export async function createBudget(db: Db, userId: string, input: CreateBudgetInput) {
  const errors: FieldError[] = [];
  if (checkCurrency(input.currency, 'body.currency', errors))
    checkAmount(input.amount, input.currency, 'body.amount', errors);
  if (!(await findCategory(db, userId, input.categoryId))) {
    errors.push({ field: 'body.categoryId', message: 'is not one of your categories' });
  }
  const period = input.period ?? 'monthly';
  const startDate = input.startDate ?? today();
  if (period === 'custom' && !input.endDate) {
    errors.push({ field: 'body.endDate', message: 'a custom period needs one' });
  } else if (period !== 'custom' && input.endDate) {
    errors.push({ field: 'body.endDate', message: 'only a custom period has one' });
  } else if (input.endDate && input.endDate < startDate) {
    errors.push({ field: 'body.endDate', message: 'is before the start' });
  }
  if (errors.length) throw unprocessable(errors);
  const id = await repo.insertBudget(db, {
    user_id: userId,
    category_id: input.categoryId,
    amount: input.amount,
    currency: input.currency,
    period,
    // A monthly budget runs in whole months.
    start_date: period === 'monthly' ? `${startDate.slice(0, 7)}-01` : startDate,
    end_date: input.endDate ?? null,
    rollover: input.rollover ?? 'none',
  });
  return toBudget(found(await repo.findBudget(db, userId, id)));
}

export async function listBudgets(
  db: Db,
  userId: string,
  query: { categoryId?: string | undefined; limit: number; cursor?: string },
) {
  const { scope, after } = createdCursor('expense-budgets', { categoryId: query.categoryId }, query);
  const rows = await repo.listBudgets(db, userId, { categoryId: query.categoryId, limit: query.limit, after });
  return createdPage(rows, query.limit, scope, toBudget);
}

export async function updateBudget(
  db: Db,
  userId: string,
  id: string,
  input: UpdateBudgetInput,
  expected: number | undefined,
) {
  await inTransaction(db, async (trx) => {
    const row = await repo.findBudget(trx, userId, id, { lock: true });
    if (!row) throw budgetNotFound();
    checkVersion(expected, row.version);
    const errors: FieldError[] = [];
    if (input.amount !== undefined) checkAmount(input.amount, row.currency, 'body.amount', errors);
    if (input.endDate !== undefined && row.period !== 'custom') {
      errors.push({ field: 'body.endDate', message: 'only a custom period has one' });
    } else if (input.endDate !== undefined && input.endDate < row.start_date) {
      errors.push({ field: 'body.endDate', message: 'is before the start' });
    }
    if (errors.length) throw unprocessable(errors);
    await repo.updateBudget(trx, id, {
      ...(input.amount !== undefined && { amount: input.amount }),
      ...(input.rollover !== undefined && { rollover: input.rollover }),
      ...(input.endDate !== undefined && { end_date: input.endDate }),
    });
  });
  return getBudget(db, userId, id);
}

export async function deleteBudget(db: Db, userId: string, id: string, expected: number | undefined) {
  await inTransaction(db, async (trx) => {
    const row = await repo.findBudget(trx, userId, id, { lock: true });
    if (!row) throw budgetNotFound();
    checkVersion(expected, row.version);
    await repo.deleteBudget(trx, id);
  });
}

/**
 * Budget vs actual for the periods between `from` and `to`. Rollover needs every period since the
 * start, so spending is read from the start (one grouped index scan), converted into the budget's
 * currency at each period's end, and walked in order.
 */
export async function budgetVsActual(
  db: Db,
  userId: string,
  id: string,
  query: { from?: string | undefined; to?: string | undefined },
  rateMaxAgeDays: number,
) {
  const row = await repo.findBudget(db, userId, id);
  if (!row) throw budgetNotFound();
  const shape = { period: row.period, startDate: row.start_date, endDate: row.end_date };
  const to = query.to ?? today();
  const last = Math.min(periodIndex(shape, to), lastIndex(shape));
  if (last + 1 > MAX_PERIODS)
    throw unprocessable([{ field: 'query.to', message: `spans more than ${MAX_PERIODS} periods` }]);
  const bounds = Array.from({ length: Math.max(last + 1, 0) }, (_, i) => periodBounds(shape, i));
  const book = new RateBook(db, userId, row.currency, rateMaxAgeDays);
  const actuals: Array<Big | null> = bounds.map(() => new Big(0));
  if (bounds.length) {
    const family = await categoryFamily(db, userId, row.category_id);
    const range = { from: row.start_date, to: (bounds.at(-1) as { end: string }).end };
    for (const spent of await repo.spendingByPeriod(db, row, family, range)) {
      const period = bounds[spent.index];
      if (!period) continue;
      const converted = await book.convert(spent.amount, spent.currency, period.end < today() ? period.end : today());
      const sofar = actuals[spent.index] ?? null;
      actuals[spent.index] = converted === null || sofar === null ? null : sofar.plus(converted);
    }
  }
  const periods = withRollover(row.amount, row.currency, row.rollover, bounds, actuals).filter(
    (period) => !query.from || period.end >= query.from,
  );
  return { budget: toBudget(row), periods, ...book.summary() };
}

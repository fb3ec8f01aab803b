import { DateTime } from 'luxon';
import { budgetVsActual, listBudgets } from '../budgets/budget-service.ts';
import { Big } from '../money.ts';
import type { MissingRateDto, RateUsedDto } from '../rates/rate-schemas.ts';
import { rateDate } from './periods.ts';
import { categoryNames } from './report-repository.ts';
import type { BudgetReportDto, ReportQueryInput } from './report-schemas.ts';
import type { ReportContext } from './report-service.ts';
import { open } from './report-service.ts';
import { Total } from './total.ts';

/** At most this many budgets in one report (the first ones made). */
const MAX_BUDGETS = 100;

/**
 * Budget vs actual for every budget: its periods that overlap the report's months, with their
 * rollover, summed in the budget's currency and converted into the reporting currency at the end
 * of the report's last month.
 */
export async function budgetReport(ctx: ReportContext, query: ReportQueryInput): Promise<BudgetReportDto> {
  const { months, book, currency } = open(ctx, query);
  const end = DateTime.fromISO(months.to, { zone: 'UTC' }).endOf('month').toISODate() as string;
  const at = rateDate(months.to);
  const budgets = (await listBudgets(ctx.db, ctx.userId, { limit: MAX_BUDGETS })).items;
  const names = new Map((await categoryNames(ctx.db, ctx.userId)).map((c) => [c.id, c.name]));
  const used: RateUsedDto[] = [];
  const missing: MissingRateDto[] = [];
  let complete = true;
  const items = [];
  for (const budget of budgets) {
    const result = await budgetVsActual(
      ctx.db,
      ctx.userId,
      budget.id,
      { from: months.from, to: end },
      ctx.rateMaxAgeDays,
    );
    used.push(...result.ratesUsed);
    missing.push(...result.missingRates);
    const sums = { budgeted: new Total(), actual: new Total(), remaining: new Total() };
    for (const period of result.periods) {
      if (period.start > end) continue;
      for (const key of ['budgeted', 'actual', 'remaining'] as const) {
        const value = period[key];
        sums[key].add(value === null ? null : await book.convert(new Big(value), budget.currency, at));
      }
    }
    complete &&= sums.budgeted.complete && sums.actual.complete && sums.remaining.complete;
    items.push({
      budgetId: budget.id,
      categoryId: budget.categoryId,
      name: names.get(budget.categoryId) ?? '',
      budgeted: sums.budgeted.toJSON(currency),
      actual: sums.actual.toJSON(currency),
      remaining: sums.remaining.toJSON(currency),
    });
  }
  const own = book.summary();
  return {
    currency,
    from: months.from,
    to: months.to,
    complete: complete && missing.length === 0,
    ratesUsed: [...used, ...own.ratesUsed],
    missingRates: [...missing, ...own.missingRates],
    items,
  };
}

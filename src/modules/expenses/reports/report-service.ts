import { unprocessable } from '../../../core/errors.ts';
import type { Db } from '../../../db/database.ts';
import { Big, minorUnits } from '../money.ts';
import { RateBook } from '../rates/conversion.ts';
import { type Months, monthLabel, monthsOf, rateDate } from './periods.ts';
import * as repo from './report-repository.ts';
import type {
  CashFlowReportDto,
  IncomeExpenseReportDto,
  NetWorthReportDto,
  ReportQueryInput,
  SpendingReportDto,
} from './report-schemas.ts';
import { Total } from './total.ts';

/**
 * The reports, each in one reporting currency over whole months. Amounts are summed per currency
 * and month in SQL (from the roll-up), converted here at each month's rate, and added exactly.
 */

export interface ReportContext {
  db: Db;
  userId: string;
  rateMaxAgeDays: number;
}

export function open(ctx: ReportContext, query: ReportQueryInput) {
  if (minorUnits(query.currency) === undefined) {
    throw unprocessable([{ field: 'query.currency', message: 'is not an ISO 4217 currency code' }]);
  }
  const months = monthsOf(query);
  const book = new RateBook(ctx.db, ctx.userId, query.currency, ctx.rateMaxAgeDays);
  return { months, book, currency: query.currency };
}

/** Loads every rate the rows will need, one pair at a time, before converting them. */
export async function preloadRates(book: RateBook, rows: Array<{ currency: string; date: string }>) {
  for (const [currency, group] of Map.groupBy(rows, (row) => row.currency)) {
    await book.preload(
      currency,
      group.map((row) => row.date),
    );
  }
}

function header(months: Months, book: RateBook, complete: boolean) {
  return { currency: book.to, from: months.from, to: months.to, complete, ...book.summary() };
}

export async function spendingByCategory(ctx: ReportContext, query: ReportQueryInput): Promise<SpendingReportDto> {
  const { months, book, currency } = open(ctx, query);
  const rows = await repo.spendingByCategory(ctx.db, ctx.userId, months);
  await preloadRates(
    book,
    rows.map((row) => ({ currency: row.currency, date: rateDate(row.month) })),
  );
  const names = new Map((await repo.categoryNames(ctx.db, ctx.userId)).map((c) => [c.id, c]));
  const totals = new Map<string | null, Total>();
  const total = new Total();
  for (const row of rows) {
    const converted = await book.convert(row.amount, row.currency, rateDate(row.month));
    if (!totals.has(row.category_id)) totals.set(row.category_id, new Total());
    totals.get(row.category_id)?.add(converted);
    total.add(converted);
  }
  const items = [...totals]
    .map(([categoryId, sum]) => ({
      categoryId,
      name: categoryId ? (names.get(categoryId)?.name ?? '') : 'Uncategorised',
      parentId: categoryId ? (names.get(categoryId)?.parent_id ?? null) : null,
      amount: sum.toJSON(currency),
      order: sum.toNumber(),
    }))
    .sort((a, b) => b.order - a.order)
    .map(({ order: _, ...item }) => item);
  return { ...header(months, book, total.complete), items, total: total.toJSON(currency) };
}

/** Per month and kind, converted: the shared core of income-vs-expense and cash flow. */
async function monthlyKinds(ctx: ReportContext, query: ReportQueryInput, liquidOnly: boolean) {
  const { months, book, currency } = open(ctx, query);
  const rows = await repo.flowsByMonth(ctx.db, ctx.userId, months, { liquidOnly });
  await preloadRates(
    book,
    rows.map((row) => ({ currency: row.currency, date: rateDate(row.month) })),
  );
  const cells = new Map<string, Total>();
  const cell = (month: string, kind: string) => {
    const key = `${month}|${kind}`;
    if (!cells.has(key)) cells.set(key, new Total());
    return cells.get(key) as Total;
  };
  let complete = true;
  for (const row of rows) {
    const converted = await book.convert(row.amount, row.currency, rateDate(row.month));
    if (converted === null) complete = false;
    cell(row.month, row.kind).add(converted);
  }
  // Expenses are stored negative (money out); reports show them as positive amounts spent.
  const value = (month: string, kind: string, sign = 1) => {
    const total = cell(month, kind).toJSON(currency);
    return total === null ? null : new Big(total).times(sign);
  };
  return { months, book, currency, complete, value };
}

const format = (value: Big | null, currency: string) => (value === null ? null : value.toFixed(minorUnits(currency)));
const plus = (...values: Array<Big | null>) =>
  values.some((v) => v === null) ? null : values.reduce<Big>((sum, v) => sum.plus(v as Big), new Big(0));

export async function incomeVsExpense(ctx: ReportContext, query: ReportQueryInput): Promise<IncomeExpenseReportDto> {
  const { months, book, currency, complete, value } = await monthlyKinds(ctx, query, false);
  return {
    ...header(months, book, complete),
    months: months.months.map((month) => {
      const income = value(month, 'income');
      const expense = value(month, 'expense', -1);
      const net = income && expense ? income.minus(expense) : null;
      return {
        month: monthLabel(month),
        income: format(income, currency),
        expense: format(expense, currency),
        net: format(net, currency),
      };
    }),
  };
}

export async function cashFlow(ctx: ReportContext, query: ReportQueryInput): Promise<CashFlowReportDto> {
  const { months, book, currency, complete, value } = await monthlyKinds(ctx, query, true);
  return {
    ...header(months, book, complete),
    months: months.months.map((month) => {
      const income = value(month, 'income');
      const spent = value(month, 'expense');
      const transfers = value(month, 'transfer');
      return {
        month: monthLabel(month),
        income: format(income, currency),
        expense: format(spent === null ? null : spent.times(-1), currency),
        transfers: format(transfers, currency),
        net: format(plus(income, spent, transfers), currency),
      };
    }),
  };
}

export async function netWorth(ctx: ReportContext, query: ReportQueryInput): Promise<NetWorthReportDto> {
  const { months, book, currency } = open(ctx, query);
  const accounts = await repo.accountsClosing(ctx.db, ctx.userId, months);
  const monthRows = await repo.accountMonths(ctx.db, ctx.userId, months);
  const moves = new Map(monthRows.map((row) => [`${row.account_id}|${row.month}`, row.amount]));
  // Each account's balance before the period: its closing movements less the period's own.
  const running = new Map(accounts.map((a) => [a.id, new Big(a.closing)]));
  for (const row of monthRows) {
    const balance = running.get(row.account_id);
    if (balance) running.set(row.account_id, balance.minus(row.amount));
  }
  await preloadRates(
    book,
    accounts.flatMap((a) => months.months.map((month) => ({ currency: a.currency, date: rateDate(month) }))),
  );
  let complete = true;
  const result = [];
  for (const month of months.months) {
    const at = rateDate(month);
    const total = new Total();
    for (const account of accounts) {
      const balance = (running.get(account.id) as Big).plus(moves.get(`${account.id}|${month}`) ?? 0);
      running.set(account.id, balance);
      const opening = account.opening_date <= at ? account.opening_balance : '0';
      const value = balance.plus(opening);
      total.add(value.eq(0) ? value : await book.convert(value, account.currency, at));
    }
    complete &&= total.complete;
    result.push({ month: monthLabel(month), netWorth: total.toJSON(currency) });
  }
  return { ...header(months, book, complete), months: result };
}

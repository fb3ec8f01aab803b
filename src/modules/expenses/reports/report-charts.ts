import type { TopLevelSpec } from 'vega-lite';
import { barsByCategory, groupedBarsByMonth, linesByMonth } from './charts.ts';
import type {
  BudgetReportDto,
  CashFlowReportDto,
  IncomeExpenseReportDto,
  NetWorthReportDto,
  SpendingReportDto,
} from './report-schemas.ts';

/** Each report's chart: which series it draws from which fields. A value a missing rate left null is not drawn. */

interface Header {
  currency: string;
  from: string;
  to: string;
  complete: boolean;
}

function subtitle(report: Header) {
  const period = `${report.from.slice(0, 7)} to ${report.to.slice(0, 7)}, in ${report.currency}`;
  return report.complete ? period : `${period} (incomplete: some exchange rates are missing)`;
}

type Row = { label: string; series: string; value: number };

function series<T>(items: T[], label: (item: T) => string, fields: Record<string, (item: T) => string | null>): Row[] {
  return items.flatMap((item) =>
    Object.entries(fields).flatMap(([name, pick]) => {
      const value = pick(item);
      return value === null ? [] : [{ label: label(item), series: name, value: Number(value) }];
    }),
  );
}

export function spendingChart(report: SpendingReportDto): TopLevelSpec {
  const rows = series(report.items, (item) => item.name, { Spent: (item) => item.amount });
  return barsByCategory({ title: 'Spending by category', subtitle: subtitle(report), currency: report.currency, rows });
}

export function incomeExpenseChart(report: IncomeExpenseReportDto): TopLevelSpec {
  const rows = series(report.months, (m) => m.month, { Income: (m) => m.income, Expense: (m) => m.expense });
  return groupedBarsByMonth({
    title: 'Income vs expense',
    subtitle: subtitle(report),
    currency: report.currency,
    rows,
  });
}

export function cashFlowChart(report: CashFlowReportDto): TopLevelSpec {
  const rows = series(report.months, (m) => m.month, {
    'Money in': (m) => m.income,
    'Money out': (m) => m.expense,
    'Net cash flow': (m) => m.net,
  });
  return groupedBarsByMonth({ title: 'Cash flow', subtitle: subtitle(report), currency: report.currency, rows });
}

export function netWorthChart(report: NetWorthReportDto): TopLevelSpec {
  const rows = series(report.months, (m) => m.month, { 'Net worth': (m) => m.netWorth });
  return linesByMonth({ title: 'Net worth over time', subtitle: subtitle(report), currency: report.currency, rows });
}

export function budgetChart(report: BudgetReportDto): TopLevelSpec {
  const rows = series(report.items, (item) => item.name, {
    Budgeted: (item) => item.budgeted,
    Actual: (item) => item.actual,
  });
  return groupedBarsByMonth(
    { title: 'Budget vs actual', subtitle: subtitle(report), currency: report.currency, rows },
    'Category',
  );
}

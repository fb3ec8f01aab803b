import { type Static, Type } from 'typebox';
import { Id, Nullable } from '../../../core/schemas.ts';
import { Currency } from '../money.ts';
import { Conversions } from '../rates/rate-schemas.ts';
import { DateOnly } from '../schemas.ts';

export const ReportQuery = Type.Object({
  currency: Currency,
  from: Type.Optional(
    Type.String({ format: 'date', description: 'A day of the first month (default: 11 months before `to`)' }),
  ),
  to: Type.Optional(Type.String({ format: 'date', description: 'A day of the last month (default: this month)' })),
});

/** A converted total: null when a rate it needed is missing (see `missingRates`), never a guess. */
const Total = Nullable(Type.String({ description: 'In the reporting currency' }));
const Month = Type.String({ pattern: '^\\d{4}-\\d{2}$', description: '`YYYY-MM`' });

const header = {
  currency: Currency,
  from: DateOnly,
  to: DateOnly,
  complete: Type.Boolean({ description: 'False when some amount could not be converted (a missing rate)' }),
  ...Conversions,
};

export const SpendingReport = Type.Object({
  ...header,
  items: Type.Array(
    Type.Object({ categoryId: Nullable(Id), name: Type.String(), parentId: Nullable(Id), amount: Total }),
    { description: 'Biggest first; `categoryId` null: uncategorised' },
  ),
  total: Total,
});

export const IncomeExpenseReport = Type.Object({
  ...header,
  months: Type.Array(Type.Object({ month: Month, income: Total, expense: Total, net: Total })),
});

export const CashFlowReport = Type.Object({
  ...header,
  months: Type.Array(
    Type.Object(
      { month: Month, income: Total, expense: Total, transfers: Total, net: Total },
      {
        description:
          'Money in and out of cash, checking and savings accounts; `transfers`: net, to and from the others',
      },
    ),
  ),
});

export const NetWorthReport = Type.Object({
  ...header,
  months: Type.Array(
    Type.Object({ month: Month, netWorth: Total }, { description: 'At the end of the month, every account' }),
  ),
});

export const BudgetReport = Type.Object({
  ...header,
  items: Type.Array(
    Type.Object(
      { budgetId: Id, categoryId: Id, name: Type.String(), budgeted: Total, actual: Total, remaining: Total },
      { description: "A budget's periods that overlap the months, rollover included" },
    ),
  ),
});

export type BudgetReportDto = Static<typeof BudgetReport>;
export type ReportQueryInput = Static<typeof ReportQuery>;
export type SpendingReportDto = Static<typeof SpendingReport>;
export type IncomeExpenseReportDto = Static<typeof IncomeExpenseReport>;
export type CashFlowReportDto = Static<typeof CashFlowReport>;
export type NetWorthReportDto = Static<typeof NetWorthReport>;

import { type Static, Type } from 'typebox';
import { Id, Nullable, PageQuery, Timestamp } from '../../../core/schemas.ts';
import { Amount, Currency } from '../money.ts';
import { Conversions } from '../rates/rate-schemas.ts';
import { DateOnly } from '../schemas.ts';

export const Period = Type.Enum(['monthly', 'weekly', 'custom']);
export const Rollover = Type.Enum(['none', 'positive', 'both'], {
  description:
    '`none`: each period starts afresh; `positive`: unspent money carries on; `both`: overspending carries too, as a negative',
});

export const Budget = Type.Object(
  {
    id: Id,
    categoryId: Id,
    amount: Amount,
    currency: Currency,
    period: Period,
    startDate: DateOnly,
    endDate: Nullable(DateOnly),
    rollover: Rollover,
    version: Type.Integer({ description: 'Also the ETag' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  {
    examples: [
      {
        id: '9b2e6f4c-2f7d-4a55-9f4e-0d6f1f3c8a11',
        categoryId: '3b241101-e2bb-4255-8caf-4136c566a962',
        amount: '400.00',
        currency: 'EUR',
        period: 'monthly',
        startDate: '2026-01-01',
        endDate: null,
        rollover: 'positive',
        version: 1,
        createdAt: '2026-01-01T09:00:00.000Z',
        updatedAt: '2026-01-01T09:00:00.000Z',
      },
    ],
  },
);
export const CreateBudget = Type.Object(
  {
    categoryId: Id,
    amount: Amount,
    currency: Currency,
    period: Type.Optional(Period),
    startDate: Type.Optional(DateOnly),
    endDate: Type.Optional(DateOnly),
    rollover: Type.Optional(Rollover),
  },
  {
    additionalProperties: false,
    description:
      'Monthly from the start date’s month by default; weekly from the start date; custom: start to end date',
  },
);
export const UpdateBudget = Type.Object(
  { amount: Type.Optional(Amount), rollover: Type.Optional(Rollover), endDate: Type.Optional(DateOnly) },
  { additionalProperties: false, minProperties: 1 },
);
export const BudgetQuery = Type.Object({ categoryId: Type.Optional(Id), ...PageQuery(50).properties });
export const PeriodQuery = Type.Object({
  from: Type.Optional(Type.String({ format: 'date', description: 'Periods ending on or after (default: the start)' })),
  to: Type.Optional(Type.String({ format: 'date', description: 'Periods starting on or before (default: today)' })),
});

const Money = Nullable(Type.String({ description: 'Null when an amount could not be converted (a missing rate)' }));
export const BudgetPeriod = Type.Object({
  start: DateOnly,
  end: DateOnly,
  budgeted: Amount,
  carriedIn: Money,
  available: Money,
  actual: Money,
  remaining: Money,
});
export const BudgetVsActual = Type.Object({
  budget: Budget,
  periods: Type.Array(BudgetPeriod),
  ...Conversions,
});

export type CreateBudgetInput = Static<typeof CreateBudget>;
export type UpdateBudgetInput = Static<typeof UpdateBudget>;
export type BudgetDto = Static<typeof Budget>;
export type BudgetPeriodDto = Static<typeof BudgetPeriod>;

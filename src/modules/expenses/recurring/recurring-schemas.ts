import { type Static, Type } from 'typebox';
import { Id, Nullable, PageQuery, Timestamp } from '../../../core/schemas.ts';
import { Amount, Currency } from '../money.ts';
import { DateOnly } from '../schemas.ts';
import { Kind } from '../transactions/transaction-schemas.ts';

const Weekday = Type.Enum(['mo', 'tu', 'we', 'th', 'fr', 'sa', 'su']);
const RuleFields = {
  frequency: Type.Enum(['daily', 'weekly', 'monthly', 'yearly']),
  interval: Type.Optional(Type.Integer({ minimum: 1, maximum: 1000, description: 'Every N periods (default 1)' })),
  weekdays: Type.Optional(Type.Array(Weekday, { minItems: 1, maxItems: 7, uniqueItems: true })),
  monthDay: Type.Optional(
    Type.Integer({ minimum: 1, maximum: 31, description: 'Past a short month’s end: its last day' }),
  ),
  until: Type.Optional(DateOnly),
  count: Type.Optional(Type.Integer({ minimum: 1, maximum: 10000, description: 'Number of occurrences in all' })),
};
const RuleIn = Type.Object(RuleFields, { additionalProperties: false });
const RuleOut = Type.Object({ ...RuleFields, month: Type.Optional(Type.Integer()) });

export const Recurring = Type.Object(
  {
    id: Id,
    name: Type.String(),
    accountId: Id,
    kind: Kind,
    amount: Amount,
    currency: Currency,
    categoryId: Nullable(Id),
    payeeId: Nullable(Id),
    note: Type.String(),
    toAccountId: Nullable(Id),
    toAmount: Nullable(Amount),
    startDate: DateOnly,
    rule: RuleOut,
    nextDate: Nullable(DateOnly),
    made: Type.Integer({ description: 'Occurrences made so far' }),
    expectedMin: Nullable(Amount),
    expectedMax: Nullable(Amount),
    version: Type.Integer({ description: 'Also the ETag' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  {
    examples: [
      {
        id: '5e8f2a0c-3d3b-4c1e-9a57-5f0d2b6f7e11',
        name: 'Electricity',
        accountId: '0f8fad5b-d9cb-469f-a165-70867728950e',
        kind: 'expense',
        amount: '60.00',
        currency: 'EUR',
        categoryId: null,
        payeeId: null,
        note: '',
        toAccountId: null,
        toAmount: null,
        startDate: '2026-01-15',
        rule: { frequency: 'monthly', interval: 1, monthDay: 15 },
        nextDate: '2026-02-15',
        made: 1,
        expectedMin: '40.00',
        expectedMax: '90.00',
        version: 1,
        createdAt: '2026-01-01T09:00:00.000Z',
        updatedAt: '2026-01-01T09:00:00.000Z',
      },
    ],
  },
);

export const CreateRecurring = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    accountId: Id,
    kind: Kind,
    amount: Amount,
    categoryId: Type.Optional(Nullable(Id)),
    payeeId: Type.Optional(Nullable(Id)),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    toAccountId: Type.Optional(Id),
    toAmount: Type.Optional(Amount),
    startDate: DateOnly,
    rule: RuleIn,
    expectedMin: Type.Optional(Amount),
    expectedMax: Type.Optional(Amount),
  },
  {
    additionalProperties: false,
  },
);
export const UpdateRecurring = Type.Object(
  {
    name: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
    amount: Type.Optional(Amount),
    note: Type.Optional(Type.String({ maxLength: 2000 })),
    expectedMin: Type.Optional(Nullable(Amount)),
    expectedMax: Type.Optional(Nullable(Amount)),
  },
  { additionalProperties: false, minProperties: 1, description: 'Later occurrences use the change; made ones stay' },
);
export const RecurringQuery = PageQuery(50);
export const UpcomingQuery = Type.Object({
  until: Type.Optional(Type.String({ format: 'date', description: 'Up to this date (default: 30 days ahead)' })),
});
export const Upcoming = Type.Object({
  items: Type.Array(
    Type.Object({
      recurringId: Id,
      name: Type.String(),
      date: DateOnly,
      amount: Amount,
      currency: Currency,
      kind: Kind,
    }),
    { description: 'Occurrences not made yet, soonest first (at most 500)' },
  ),
});

export type CreateRecurringInput = Static<typeof CreateRecurring>;
export type UpdateRecurringInput = Static<typeof UpdateRecurring>;
export type RecurringDto = Static<typeof Recurring>;

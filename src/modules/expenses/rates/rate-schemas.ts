import { type Static, Type } from 'typebox';
import { Cursor, Limit, Timestamp } from '../../../core/schemas.ts';
import { Currency } from '../money.ts';
import { DateOnly } from '../schemas.ts';

const RateValue = Type.String({
  pattern: '^(0|[1-9]\\d{0,17})(\\.\\d{1,12})?$',
  description: 'How many units of `quote` one unit of `base` is worth, a decimal string (up to 12 decimals)',
  examples: ['1.0842'],
});

export const Rate = Type.Object(
  { base: Currency, quote: Currency, date: DateOnly, rate: RateValue, createdAt: Timestamp },
  {
    examples: [
      { base: 'EUR', quote: 'USD', date: '2026-03-01', rate: '1.0842', createdAt: '2026-03-01T08:00:00.000Z' },
    ],
  },
);
export const PutRate = Type.Object(
  { base: Currency, quote: Currency, date: DateOnly, rate: RateValue },
  { additionalProperties: false, examples: [{ base: 'EUR', quote: 'USD', date: '2026-03-01', rate: '1.0842' }] },
);
export const RateParams = Type.Object({ base: Currency, quote: Currency, date: DateOnly });
export const RateQuery = Type.Object({
  base: Type.Optional(Currency),
  quote: Type.Optional(Currency),
  limit: Limit(100),
  cursor: Type.Optional(Cursor),
});
export const RateCsv = Type.Object(
  {
    csv: Type.String({
      minLength: 1,
      maxLength: 1_000_000,
      description: 'Header `date,base,quote,rate`, then one rate per line',
    }),
  },
  { additionalProperties: false },
);
export const RateImportResult = Type.Object({ imported: Type.Integer() });

/** A conversion a report made, and one it could not make: reports list both, never guess. */
export const RateUsed = Type.Object({
  from: Currency,
  to: Currency,
  date: DateOnly,
  rateDate: DateOnly,
  rate: Type.String({ description: 'Units of `to` per unit of `from` (inverted when only the reverse was entered)' }),
});
export const MissingRate = Type.Object({
  from: Currency,
  to: Currency,
  date: DateOnly,
});
export const Conversions = {
  ratesUsed: Type.Array(RateUsed),
  missingRates: Type.Array(MissingRate, {
    description: 'Conversions with no rate within the staleness bound: the totals that needed them are null',
  }),
};

export type PutRateInput = Static<typeof PutRate>;
export type RateUsedDto = Static<typeof RateUsed>;
export type MissingRateDto = Static<typeof MissingRate>;

import Big from 'big.js';
import currencyCodes from 'currency-codes';
import { Type } from 'typebox';
import type { FieldError } from '../../core/errors.ts';

/**
 * Money: decimal strings on the wire (`"12.34"`), `numeric(20,4)` in the database, big.js for the
 * arithmetic the database does not do. Never a float. Every ISO 4217 currency carries its own
 * number of minor units (JPY 0, EUR 2, BHD 3), from the `currency-codes` package's copy of the
 * standard; an amount with more decimals than its currency has is refused (422), never rounded.
 * Conversions (the only place rounding happens) round half to even to the target's minor units.
 */

// `numeric(20,4)`: 16 integer digits, 4 decimals (the most any ISO 4217 currency has).
const DECIMAL = '^-?(0|[1-9]\\d{0,15})(\\.\\d{1,4})?$';

const AMOUNT_RULE =
  'a decimal string, e.g. `"12.34"`, with no more decimals than the currency has (JPY 0, EUR 2, BHD 3)';

/** An amount on the wire; `description` says what it is, the schema adds how it is written. */
export const AmountOf = (description: string) =>
  Type.String({ pattern: DECIMAL, description: `${description}: ${AMOUNT_RULE}`, examples: ['12.34'] });
export const Amount = AmountOf('An amount');
export const Currency = Type.String({
  pattern: '^[A-Z]{3}$',
  description: 'An ISO 4217 code, e.g. `EUR`',
  examples: ['EUR'],
});

/** Minor units of `code`, or undefined when it is not an ISO 4217 currency. */
export function minorUnits(code: string): number | undefined {
  return currencyCodes.code(code)?.digits;
}

export function checkCurrency(code: string, field: string, errors: FieldError[]): boolean {
  if (minorUnits(code) !== undefined) return true;
  errors.push({ field, message: 'is not an ISO 4217 currency code' });
  return false;
}

/** True (and nothing recorded) when `amount` has no more decimals than `currency` allows. */
export function checkAmount(
  amount: string,
  currency: string,
  field: string,
  errors: FieldError[],
  options: { positive?: boolean } = {},
): boolean {
  const digits = minorUnits(currency);
  if (digits === undefined) return false;
  const decimals = amount.split('.')[1]?.replace(/0+$/, '').length ?? 0;
  if (decimals > digits) {
    errors.push({ field, message: `has more decimals than ${currency} allows (${digits})` });
    return false;
  }
  if (options.positive && !new Big(amount).gt(0)) {
    errors.push({ field, message: 'must be greater than zero' });
    return false;
  }
  return true;
}

/** The wire form of an amount: exactly the currency's minor units (`"12.30"`, `"1200"`, `"1.250"`). */
export function formatMoney(value: Big.BigSource, currency: string): string {
  return new Big(value).toFixed(minorUnits(currency) ?? 2);
}

export function sum(values: Big.BigSource[]): Big {
  return values.reduce<Big>((total, value) => total.plus(value), new Big(0));
}

/** `amount × rate`, rounded half to even to the target currency's minor units. */
export function convert(amount: Big.BigSource, rate: Big.BigSource, to: string): Big {
  return new Big(amount).times(rate).round(minorUnits(to) ?? 2, Big.roundHalfEven);
}

export function isZero(value: Big.BigSource): boolean {
  return new Big(value).eq(0);
}

export { Big };

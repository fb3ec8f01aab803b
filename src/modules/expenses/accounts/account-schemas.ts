import { type Static, Type } from 'typebox';
import { Id, PageQuery, Timestamp } from '../../../core/schemas.ts';
import { Amount, Currency } from '../money.ts';
import { DateOnly } from '../schemas.ts';

export const AccountType = Type.Enum([
  'cash',
  'checking',
  'savings',
  'credit_card',
  'loan',
  'other_asset',
  'other_liability',
]);

const example = {
  id: '0f8fad5b-d9cb-469f-a165-70867728950e',
  name: 'Main checking',
  type: 'checking',
  currency: 'EUR',
  openingBalance: '1200.00',
  openingDate: '2026-01-01',
  archived: false,
  balance: '1234.56',
  version: 1,
  createdAt: '2026-01-01T09:00:00.000Z',
  updatedAt: '2026-01-01T09:00:00.000Z',
};

export const Account = Type.Object(
  {
    id: Id,
    name: Type.String(),
    type: AccountType,
    currency: Currency,
    openingBalance: Amount,
    openingDate: DateOnly,
    archived: Type.Boolean(),
    balance: Type.String({ description: 'Opening balance plus every transaction, exact, in the account currency' }),
    version: Type.Integer({ description: 'Also the ETag' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { examples: [example] },
);

const Name = Type.String({ minLength: 1, maxLength: 200 });
export const CreateAccount = Type.Object(
  {
    name: Name,
    type: AccountType,
    currency: Currency,
    openingBalance: Type.Optional(Amount),
    openingDate: Type.Optional(DateOnly),
  },
  {
    additionalProperties: false,
    examples: [{ name: 'Main checking', type: 'checking', currency: 'EUR', openingBalance: '1200.00' }],
  },
);
export const UpdateAccount = Type.Object(
  {
    name: Type.Optional(Name),
    type: Type.Optional(AccountType),
    openingBalance: Type.Optional(Amount),
    openingDate: Type.Optional(DateOnly),
    archived: Type.Optional(Type.Boolean()),
  },
  { additionalProperties: false, minProperties: 1, description: 'The currency of an account never changes' },
);
export const AccountQuery = Type.Object({
  archived: Type.Boolean({ default: false, description: 'List archived accounts instead of active ones' }),
  ...PageQuery(50).properties,
});
export const BalanceQuery = Type.Object({ at: DateOnly });
export const Balance = Type.Object({
  accountId: Id,
  date: DateOnly,
  currency: Currency,
  balance: Type.String({ description: 'At the end of `date`, exact' }),
});

export type CreateAccountInput = Static<typeof CreateAccount>;
export type UpdateAccountInput = Static<typeof UpdateAccount>;
export type AccountDto = Static<typeof Account>;

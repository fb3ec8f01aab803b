import { type Static, Type } from 'typebox';
import { Id, Nullable, Page, PageQuery, Timestamp } from '../../../core/schemas.ts';
import { Amount, AmountOf, Currency } from '../money.ts';
import { DateOnly } from '../schemas.ts';

export const Kind = Type.Enum(['expense', 'income', 'transfer']);
const TagIds = Type.Array(Id, { maxItems: 20, uniqueItems: true });
const Note = Type.String({ maxLength: 2000 });

export const Line = Type.Object({
  id: Id,
  amount: Amount,
  categoryId: Nullable(Id),
  tagIds: Type.Array(Id),
  memo: Type.String(),
});
const LineIn = Type.Object(
  {
    amount: Amount,
    categoryId: Type.Optional(Nullable(Id)),
    tagIds: Type.Optional(TagIds),
    memo: Type.Optional(Type.String({ maxLength: 500 })),
  },
  { additionalProperties: false },
);

const example = {
  id: '7c9e6679-7425-40de-944b-e07fc1f90ae7',
  kind: 'expense',
  accountId: '0f8fad5b-d9cb-469f-a165-70867728950e',
  date: '2026-03-14',
  amount: '42.50',
  currency: 'EUR',
  payeeId: null,
  note: 'Weekly shop',
  lines: [
    { id: 'a3bb189e-8bf9-3888-9912-ace4e6543002', amount: '30.00', categoryId: null, tagIds: [], memo: 'Food' },
    { id: 'b3bb189e-8bf9-3888-9912-ace4e6543002', amount: '12.50', categoryId: null, tagIds: [], memo: 'Soap' },
  ],
  transfer: null,
  recurringId: null,
  occurrenceDate: null,
  importBatchId: null,
  bankId: null,
  outOfRange: false,
  version: 1,
  createdAt: '2026-03-14T18:00:00.000Z',
  updatedAt: '2026-03-14T18:00:00.000Z',
};

export const Transaction = Type.Object(
  {
    id: Id,
    kind: Kind,
    accountId: Id,
    date: DateOnly,
    amount: Amount,
    currency: Currency,
    payeeId: Nullable(Id),
    note: Type.String(),
    lines: Type.Array(Line, { description: 'The split: the amounts add up to `amount`' }),
    transfer: Nullable(
      Type.Object({
        toAccountId: Id,
        toAmount: Amount,
        toCurrency: Currency,
      }),
    ),
    recurringId: Nullable(Id),
    occurrenceDate: Nullable(DateOnly),
    importBatchId: Nullable(Id),
    bankId: Nullable(Type.String()),
    outOfRange: Type.Boolean({ description: "Made by a recurring rule, and outside the rule's expected amount range" }),
    version: Type.Integer({ description: 'Also the ETag' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  { examples: [example] },
);
export const TransactionPage = Page(Transaction);

const fields = {
  kind: Kind,
  accountId: Id,
  date: DateOnly,
  amount: AmountOf('The total, positive, in the account currency'),
  payeeId: Nullable(Id),
  note: Note,
  categoryId: Nullable(Id),
  tagIds: TagIds,
  lines: Type.Array(LineIn, { minItems: 1, maxItems: 100, description: 'A split; must add up to `amount`' }),
  toAccountId: Id,
  toAmount: AmountOf('A transfer: what arrives, in the target account currency (required across currencies)'),
  receiptIds: Type.Array(Id, { maxItems: 10, uniqueItems: true, description: 'Uploaded files to attach' }),
};

export const CreateTransaction = Type.Object(
  {
    kind: fields.kind,
    accountId: fields.accountId,
    date: fields.date,
    amount: fields.amount,
    payeeId: Type.Optional(fields.payeeId),
    note: Type.Optional(fields.note),
    categoryId: Type.Optional(fields.categoryId),
    tagIds: Type.Optional(fields.tagIds),
    lines: Type.Optional(fields.lines),
    toAccountId: Type.Optional(fields.toAccountId),
    toAmount: Type.Optional(fields.toAmount),
    receiptIds: Type.Optional(fields.receiptIds),
  },
  {
    additionalProperties: false,
    description: 'Give `lines` for a split, or `categoryId`/`tagIds` for a single line',
  },
);
export const UpdateTransaction = Type.Object(
  {
    kind: Type.Optional(fields.kind),
    accountId: Type.Optional(fields.accountId),
    date: Type.Optional(fields.date),
    amount: Type.Optional(fields.amount),
    payeeId: Type.Optional(fields.payeeId),
    note: Type.Optional(fields.note),
    categoryId: Type.Optional(fields.categoryId),
    tagIds: Type.Optional(fields.tagIds),
    lines: Type.Optional(fields.lines),
    toAccountId: Type.Optional(fields.toAccountId),
    toAmount: Type.Optional(fields.toAmount),
  },
  {
    additionalProperties: false,
    minProperties: 1,
    description: 'Changed fields; new `lines` (or `categoryId`/`tagIds`) replace the split',
  },
);

export const TransactionQuery = Type.Object({
  accountId: Type.Optional(Id),
  categoryId: Type.Optional(Type.String({ format: 'uuid', description: 'Includes its subcategories' })),
  tagId: Type.Optional(Id),
  payeeId: Type.Optional(Id),
  kind: Type.Optional(Kind),
  from: Type.Optional(DateOnly),
  to: Type.Optional(DateOnly),
  minAmount: Type.Optional(Amount),
  maxAmount: Type.Optional(Amount),
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Words in the note' })),
  ...PageQuery(50).properties,
});

export const ReceiptParams = Type.Object({ id: Id, fileId: Id });
export const AttachReceipt = Type.Object({ fileId: Id }, { additionalProperties: false });

export type CreateTransactionInput = Static<typeof CreateTransaction>;
export type UpdateTransactionInput = Static<typeof UpdateTransaction>;
export type TransactionQueryInput = Static<typeof TransactionQuery>;
export type TransactionDto = Static<typeof Transaction>;

import { type Static, Type } from 'typebox';
import { Id, Nullable, PageQuery, Timestamp } from '../../../core/schemas.ts';
import { Amount } from '../money.ts';
import { DateOnly } from '../schemas.ts';

const Column = Type.String({ minLength: 1, maxLength: 200, description: 'A header of the file' });
export const Mapping = Type.Object(
  {
    date: Type.Optional(Column),
    amount: Type.Optional(Column),
    debit: Type.Optional(Column),
    credit: Type.Optional(Column),
    description: Type.Optional(Column),
    bankId: Type.Optional(Column),
  },
  { additionalProperties: false, description: 'Which column holds what (detected from the headers when not given)' },
);

const options = {
  accountId: Id,
  csv: Type.String({ minLength: 1, maxLength: 5_000_000, description: "The bank's CSV file, header line first" }),
  delimiter: Type.Optional(Type.Enum([',', ';', '\t', '|'])),
  dateFormat: Type.Optional(
    Type.String({ minLength: 1, maxLength: 20, description: 'luxon tokens, e.g. `dd.MM.yyyy`' }),
  ),
  decimalSeparator: Type.Optional(Type.Enum(['.', ','])),
  mapping: Type.Optional(Mapping),
  fileName: Type.Optional(Type.String({ maxLength: 255 })),
};
export const PreviewImport = Type.Object(options, { additionalProperties: false });
export const CommitImport = Type.Object(
  {
    ...options,
    lines: Type.Optional(
      Type.Array(Type.Integer({ minimum: 2 }), {
        maxItems: 100_000,
        uniqueItems: true,
        description:
          'The lines to import (default: every `new` row); a possible duplicate is imported only when listed',
      }),
    ),
  },
  { additionalProperties: false },
);

export const RowStatus = Type.Enum(['new', 'duplicate', 'possible_duplicate', 'invalid']);
export const PreviewRow = Type.Object({
  line: Type.Integer({ description: 'Line number in the file (the header is line 1)' }),
  status: RowStatus,
  date: Nullable(DateOnly),
  amount: Nullable(Amount),
  kind: Nullable(Type.Enum(['expense', 'income'])),
  description: Type.String(),
  bankId: Nullable(Type.String()),
  match: Nullable(Id),
  errors: Type.Array(Type.Object({ field: Type.String(), message: Type.String() })),
});
export const Preview = Type.Object({
  delimiter: Type.String(),
  dateFormat: Nullable(Type.String()),
  decimalSeparator: Type.Enum(['.', ',']),
  columns: Type.Array(Type.String()),
  mapping: Mapping,
  counts: Type.Object({
    new: Type.Integer(),
    duplicate: Type.Integer(),
    possible_duplicate: Type.Integer(),
    invalid: Type.Integer(),
  }),
  rows: Type.Array(PreviewRow),
});

export const ImportBatch = Type.Object({
  id: Id,
  accountId: Id,
  fileName: Nullable(Type.String()),
  rowCount: Type.Integer({ description: 'Transactions the batch made' }),
  undone: Type.Boolean(),
  undoneAt: Nullable(Timestamp),
  createdAt: Timestamp,
});
export const CommitResult = Type.Object({
  batch: ImportBatch,
  skipped: Type.Array(Type.Object({ line: Type.Integer(), status: RowStatus }), {
    description: 'Chosen lines that were not imported: duplicates and invalid rows',
  }),
});
export const ImportQuery = PageQuery(50);

export type PreviewInput = Static<typeof PreviewImport>;
export type CommitInput = Static<typeof CommitImport>;
export type PreviewRowDto = Static<typeof PreviewRow>;

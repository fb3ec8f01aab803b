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
    category: Type.Optional(Column),
    payee: Type.Optional(Column),
  },
  { additionalProperties: false, description: 'Which column holds what (detected from the headers when not given)' },
);

/** The most CSV an import reads, as text in the body or as an uploaded file. */
export const MAX_CSV_BYTES = 5_000_000;

const options = {
  accountId: Id,
  csv: Type.Optional(
    Type.String({
      minLength: 1,
      maxLength: MAX_CSV_BYTES,
      description: "The bank's CSV file, header line first; or give `fileId` instead",
    }),
  ),
  fileId: Type.Optional(
    Type.String({
      format: 'uuid',
      description: 'A CSV file you uploaded through `POST /api/files` (UTF-8, at most 5 MB); instead of `csv`',
    }),
  ),
  delimiter: Type.Optional(Type.Enum([',', ';', '\t', '|'])),
  dateFormat: Type.Optional(
    Type.String({ minLength: 1, maxLength: 20, description: 'luxon tokens, e.g. `dd.MM.yyyy`' }),
  ),
  decimalSeparator: Type.Optional(Type.Enum(['.', ','])),
  mapping: Type.Optional(Mapping),
  fileName: Type.Optional(
    Type.String({ maxLength: 255, description: "Recorded on the batch; default: the uploaded file's name" }),
  ),
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
    overrides: Type.Optional(
      Type.Array(
        Type.Object(
          {
            line: Type.Integer({ minimum: 2 }),
            categoryId: Type.Optional(Nullable(Id)),
            payeeId: Type.Optional(Nullable(Id)),
          },
          { additionalProperties: false },
        ),
        {
          maxItems: 100_000,
          description:
            "Per line, the category or payee you chose instead of what the file's columns resolved to (null: none)",
        },
      ),
    ),
  },
  { additionalProperties: false },
);

const UnknownCategory = Type.Object({
  name: Type.String(),
  lines: Type.Array(Type.Integer()),
});

export const RowStatus = Type.Enum(['new', 'duplicate', 'possible_duplicate', 'invalid']);
export const PreviewRow = Type.Object({
  line: Type.Integer({ description: 'Line number in the file (the header is line 1)' }),
  status: RowStatus,
  date: Nullable(DateOnly),
  amount: Nullable(Amount),
  kind: Nullable(Type.Enum(['expense', 'income'])),
  description: Type.String(),
  bankId: Nullable(Type.String()),
  category: Nullable(Type.String({ description: 'The category column as written in the file' })),
  categoryId: Nullable(
    Type.String({
      format: 'uuid',
      description: 'Your category that name resolves to; null when empty or unknown (see `unknownCategories`)',
    }),
  ),
  payee: Nullable(Type.String({ description: 'The payee column as written in the file' })),
  payeeId: Nullable(
    Type.String({
      format: 'uuid',
      description: 'Your payee of that name (any case); null with a `payee`: it is created on commit',
    }),
  ),
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
  unknownCategories: Type.Array(UnknownCategory, {
    description:
      'Category names of the file that match none of yours (or an income category on money out): their lines are imported uncategorised',
  }),
  newPayees: Type.Array(Type.String(), { description: 'Payee names the commit will create' }),
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
  uncategorised: Type.Array(UnknownCategory, {
    description: 'Imported lines left uncategorised because their category matched none of yours',
  }),
});
export const ImportQuery = PageQuery(50);

export type PreviewInput = Static<typeof PreviewImport>;
export type CommitInput = Static<typeof CommitImport>;
export type PreviewRowDto = Static<typeof PreviewRow>;
/** What the service reads: the options, with the CSV text in hand (from the body or a file). */
export type ImportOptions = Omit<PreviewInput, 'csv'> & { csv: string };
export type CommitOptions = Omit<CommitInput, 'csv'> & { csv: string };

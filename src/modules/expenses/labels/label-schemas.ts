import { type Static, Type } from 'typebox';
import { Id, Nullable, PageQuery, Timestamp } from '../../../core/schemas.ts';

export const CategoryKind = Type.Enum(['expense', 'income']);

export const Category = Type.Object(
  {
    id: Id,
    name: Type.String(),
    kind: CategoryKind,
    parentId: Nullable(Id),
    version: Type.Integer({ description: 'Also the ETag' }),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  },
  {
    examples: [
      {
        id: '3b241101-e2bb-4255-8caf-4136c566a962',
        name: 'Groceries',
        kind: 'expense',
        parentId: null,
        version: 1,
        createdAt: '2026-01-01T09:00:00.000Z',
        updatedAt: '2026-01-01T09:00:00.000Z',
      },
    ],
  },
);
const CategoryName = Type.String({ minLength: 1, maxLength: 100 });
export const CreateCategory = Type.Object(
  {
    name: CategoryName,
    kind: CategoryKind,
    parentId: Type.Optional(Nullable(Id)),
  },
  { additionalProperties: false, examples: [{ name: 'Groceries', kind: 'expense' }] },
);
export const UpdateCategory = Type.Object(
  { name: Type.Optional(CategoryName), parentId: Type.Optional(Nullable(Id)) },
  { additionalProperties: false, minProperties: 1, description: 'A category keeps its kind' },
);
export const CategoryQuery = Type.Object({
  kind: Type.Optional(CategoryKind),
  ...PageQuery(100).properties,
});

/** Tags and payees: a name, unique per user (case-insensitive). */
export const Named = Type.Object({ id: Id, name: Type.String(), createdAt: Timestamp });
export const CreateNamed = Type.Object(
  { name: Type.String({ minLength: 1, maxLength: 200 }) },
  { additionalProperties: false, examples: [{ name: 'Corner bakery' }] },
);
export const NamedQuery = Type.Object({
  q: Type.Optional(Type.String({ minLength: 1, maxLength: 200, description: 'Names starting with this' })),
  ...PageQuery(100).properties,
});
export const MergePayee = Type.Object(
  { intoId: Type.String({ format: 'uuid', description: 'The payee that keeps every transaction' }) },
  { additionalProperties: false },
);
export const MergeResult = Type.Object({
  payee: Named,
  moved: Type.Integer({ description: 'Transactions moved to it' }),
});

export type CreateCategoryInput = Static<typeof CreateCategory>;
export type UpdateCategoryInput = Static<typeof UpdateCategory>;

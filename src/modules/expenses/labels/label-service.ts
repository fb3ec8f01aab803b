import { type FieldError, unprocessable } from '../../../core/errors.ts';
import { checkVersion } from '../../../core/etag.ts';
import type { Db } from '../../../db/database.ts';
import { found, inTransaction } from '../../../db/transactions.ts';
import { categoryInUse, categoryNotFound, payeeNotFound, tagNotFound } from '../errors.ts';
import { createdCursor, createdPage } from '../paging.ts';
import { uniqueName } from '../unique.ts';
import * as repo from './label-repository.ts';
import type { CreateCategoryInput, UpdateCategoryInput } from './label-schemas.ts';

/** Categories (nested one level, income or expense), tags and payees. */

function toCategory(row: repo.CategoryRow) {
  return {
    id: row.id,
    name: row.name,
    kind: row.kind,
    parentId: row.parent_id,
    version: row.version,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

export async function getCategory(db: Db, userId: string, id: string) {
  const row = await repo.findCategory(db, userId, id);
  if (!row) throw categoryNotFound();
  return toCategory(row);
}

/** A parent must be one of the caller's top-level categories of the same kind (one level of nesting). */
async function checkParent(db: Db, userId: string, parentId: string, kind: string, selfId: string | null) {
  const errors: FieldError[] = [];
  const parent = await repo.findCategory(db, userId, parentId);
  const field = 'body.parentId';
  if (!parent) errors.push({ field, message: 'is not one of your categories' });
  else if (parent.parent_id !== null) errors.push({ field, message: 'is itself a subcategory (one level only)' });
  else if (parent.kind !== kind) errors.push({ field, message: `is an ${parent.kind} category, not ${kind}` });
  else if (parent.id === selfId) errors.push({ field, message: 'is the category itself' });
  else if (selfId && (await repo.hasChildren(db, selfId))) {
    errors.push({ field, message: 'a category with subcategories cannot become one' });
  }
  if (errors.length) throw unprocessable(errors);
}

export async function createCategory(db: Db, userId: string, input: CreateCategoryInput) {
  if (input.parentId) await checkParent(db, userId, input.parentId, input.kind, null);
  const id = await uniqueName(
    'category',
    repo.insertCategory(db, { user_id: userId, name: input.name, kind: input.kind, parent_id: input.parentId ?? null }),
  );
  return toCategory(found(await repo.findCategory(db, userId, id)));
}

export async function listCategories(
  db: Db,
  userId: string,
  query: { kind?: string | undefined; limit: number; cursor?: string },
) {
  const { scope, after } = createdCursor('expense-categories', { kind: query.kind }, query);
  const rows = await repo.listCategories(db, userId, { kind: query.kind, limit: query.limit, after });
  return createdPage(rows, query.limit, scope, toCategory);
}

export async function updateCategory(
  db: Db,
  userId: string,
  id: string,
  input: UpdateCategoryInput,
  expected: number | undefined,
) {
  await inTransaction(db, async (trx) => {
    const row = await repo.findCategory(trx, userId, id, { lock: true });
    if (!row) throw categoryNotFound();
    checkVersion(expected, row.version);
    if (input.parentId) await checkParent(trx, userId, input.parentId, row.kind, id);
    await uniqueName(
      'category',
      repo.updateCategory(trx, id, {
        ...(input.name !== undefined && { name: input.name }),
        ...(input.parentId !== undefined && { parent_id: input.parentId }),
      }),
    );
  });
  return getCategory(db, userId, id);
}

/** A category still used by transactions or subcategories stays (409); its budgets go with it. */
export async function deleteCategory(db: Db, userId: string, id: string, expected: number | undefined) {
  await inTransaction(db, async (trx) => {
    const row = await repo.findCategory(trx, userId, id, { lock: true });
    if (!row) throw categoryNotFound();
    checkVersion(expected, row.version);
    if ((await repo.hasChildren(trx, id)) || (await repo.hasLines(trx, id))) throw categoryInUse();
    await repo.deleteCategory(trx, id);
  });
}

/** Tags and payees behave alike; `kind` picks the table and the words. */
export const NAMED = {
  tags: { table: 'expense_tags', what: 'tag', notFound: tagNotFound },
  payees: { table: 'expense_payees', what: 'payee', notFound: payeeNotFound },
} as const;
export type NamedKind = keyof typeof NAMED;

function toNamed(row: { id: string; name: string; created_at: Date }) {
  return { id: row.id, name: row.name, createdAt: row.created_at.toISOString() };
}

export async function createNamed(db: Db, kind: NamedKind, userId: string, name: string) {
  const { table, what } = NAMED[kind];
  return toNamed(await uniqueName(what, repo.insertNamed(db, table, userId, name)));
}

export async function listNamed(
  db: Db,
  kind: NamedKind,
  userId: string,
  query: { q?: string | undefined; limit: number; cursor?: string },
) {
  const { scope, after } = createdCursor(`expense-${kind}`, { q: query.q }, query);
  const rows = await repo.listNamed(db, NAMED[kind].table, userId, { q: query.q, limit: query.limit, after });
  return createdPage(rows, query.limit, scope, toNamed);
}

export async function getNamed(db: Db, kind: NamedKind, userId: string, id: string) {
  const row = await repo.findNamed(db, NAMED[kind].table, userId, id);
  if (!row) throw NAMED[kind].notFound();
  return toNamed(row);
}

export async function renameNamed(db: Db, kind: NamedKind, userId: string, id: string, name: string) {
  const { table, what, notFound } = NAMED[kind];
  const row = await uniqueName(what, repo.renameNamed(db, table, userId, id, name));
  if (!row) throw notFound();
  return toNamed(row);
}

/** Deleting a tag removes it from its lines; deleting a payee leaves its transactions without one. */
export async function deleteNamed(db: Db, kind: NamedKind, userId: string, id: string) {
  if (!(await repo.deleteNamed(db, NAMED[kind].table, userId, id))) throw NAMED[kind].notFound();
}

/** Every transaction of payee `id` moves to `intoId`, then `id` is deleted: one transaction. */
export async function mergePayee(db: Db, userId: string, id: string, intoId: string) {
  return inTransaction(db, async (trx) => {
    const from = await repo.findNamed(trx, 'expense_payees', userId, id);
    if (!from) throw payeeNotFound();
    const into = await repo.findNamed(trx, 'expense_payees', userId, intoId);
    if (!into || into.id === id) {
      throw unprocessable([
        { field: 'body.intoId', message: into ? 'is the payee itself' : 'is not one of your payees' },
      ]);
    }
    const moved = await repo.movePayee(trx, id, intoId);
    await repo.deleteNamed(trx, 'expense_payees', userId, id);
    return { payee: toNamed(into), moved };
  });
}

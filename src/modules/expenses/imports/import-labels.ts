import type { FieldError } from '../../../core/errors.ts';
import type { Db, Trx } from '../../../db/database.ts';
import { allCategories, categoriesByIds, ensurePayees, namedByIds, payeesByNames } from '../labels/label-repository.ts';
import { categoryFits } from '../transactions/transaction-check.ts';
import type { CommitOptions } from './import-schemas.ts';

/**
 * The category and payee columns of an import, resolved to the user's own by name, in any case.
 *
 * A category is named as it is (`Groceries`) or with its parent (`Food: Groceries`), the way
 * categories nest here (one level); a plain name that only a subcategory has finds it when just one
 * does. A name that matches none is listed in the preview and its line is imported uncategorised,
 * as Actual's CSV import does (it matches categories by name and leaves the rest without one).
 * Firefly III's importer instead creates a category for every new name; we do not, because a
 * category here has a kind and a place in the tree that a bank's label cannot tell us, and one typo
 * would grow the list for good. The user can create the category and preview again, or choose one
 * per line in the commit's `overrides`. Money out named with an income category is treated the
 * same way (the API refuses that pairing; money in on an expense category is a refund, and fine).
 *
 * A payee is only a name, so an unknown one is created on commit, as both Actual and Firefly III
 * do with the counterparty.
 */

interface Labelled {
  line: number;
  kind: 'expense' | 'income' | null;
  category: string | null;
  categoryId: string | null;
  payee: string | null;
  payeeId: string | null;
}

const key = (name: string) => name.trim().toLowerCase();

function categoryFinder(categories: Array<{ id: string; name: string; parent_id: string | null }>) {
  const names = new Map(categories.map((c) => [c.id, key(c.name)]));
  const topLevel = new Map<string, string>();
  const nested = new Map<string, string>();
  const subcategories = new Map<string, string[]>();
  for (const c of categories) {
    if (!c.parent_id) {
      topLevel.set(key(c.name), c.id);
      continue;
    }
    nested.set(`${names.get(c.parent_id)}:${key(c.name)}`, c.id);
    subcategories.set(key(c.name), [...(subcategories.get(key(c.name)) ?? []), c.id]);
  }
  return (name: string): string | null => {
    const direct = topLevel.get(key(name));
    if (direct) return direct;
    const colon = name.indexOf(':');
    const child = colon > 0 ? nested.get(`${key(name.slice(0, colon))}:${key(name.slice(colon + 1))}`) : undefined;
    if (child) return child;
    const only = subcategories.get(key(name));
    return only?.length === 1 ? (only[0] as string) : null;
  };
}

/** The transactions' rule; a row without a kind is invalid and never imported, so any category fits it. */
const fits = (categoryKind: string | undefined, rowKind: Labelled['kind']) =>
  rowKind === null || categoryKind === undefined || categoryFits(categoryKind, rowKind);

/** Sets each row's `categoryId` and `payeeId` from the user's categories and existing payees. */
export async function resolveLabels(db: Db, userId: string, rows: Labelled[]): Promise<void> {
  const categories = await allCategories(db, userId);
  const find = categoryFinder(categories);
  const kinds = new Map(categories.map((c) => [c.id, c.kind]));
  const payeeNames = [...new Set(rows.flatMap((row) => (row.payee ? [key(row.payee)] : [])))];
  const payees = new Map((await payeesByNames(db, userId, payeeNames)).map((p) => [key(p.name), p.id]));
  for (const row of rows) {
    const categoryId = row.category ? find(row.category) : null;
    row.categoryId = categoryId && fits(kinds.get(categoryId), row.kind) ? categoryId : null;
    row.payeeId = row.payee ? (payees.get(key(row.payee)) ?? null) : null;
  }
}

/** Category names that matched nothing, with their lines, in file order. */
export function unknownCategories(rows: Labelled[]) {
  const unknown = new Map<string, { name: string; lines: number[] }>();
  for (const row of rows) {
    if (!row.category || row.categoryId) continue;
    const entry = unknown.get(key(row.category)) ?? { name: row.category, lines: [] };
    entry.lines.push(row.line);
    unknown.set(key(row.category), entry);
  }
  return [...unknown.values()];
}

/** Payee names the commit would create (the first spelling of each). */
export function newPayees(rows: Labelled[]): string[] {
  const names = new Map<string, string>();
  for (const row of rows)
    if (row.payee && !row.payeeId && !names.has(key(row.payee))) names.set(key(row.payee), row.payee);
  return [...names.values()];
}

/**
 * Applies the commit's per-line choices after checking them: each line is a row of the file, each
 * category and payee one of the caller's. Returns the field errors; nothing is applied if any.
 */
export async function applyOverrides(
  db: Db,
  userId: string,
  rows: Labelled[],
  overrides: NonNullable<CommitOptions['overrides']>,
): Promise<FieldError[]> {
  const errors: FieldError[] = [];
  const byLine = new Map(rows.map((row) => [row.line, row]));
  const categoryIds = [...new Set(overrides.flatMap((o) => o.categoryId ?? []))];
  const payeeIds = [...new Set(overrides.flatMap((o) => o.payeeId ?? []))];
  const categories = new Map((await categoriesByIds(db, userId, categoryIds)).map((c) => [c.id, c.kind]));
  const payees = new Set((await namedByIds(db, 'expense_payees', userId, payeeIds)).map((p) => p.id));
  overrides.forEach((override, i) => {
    const at = `body.overrides.${i}`;
    const row = byLine.get(override.line);
    if (!row) errors.push({ field: `${at}.line`, message: 'is not a row of the file' });
    if (override.categoryId && !categories.has(override.categoryId)) {
      errors.push({ field: `${at}.categoryId`, message: 'is not one of your categories' });
    } else if (override.categoryId && !fits(categories.get(override.categoryId), row?.kind ?? null)) {
      errors.push({ field: `${at}.categoryId`, message: 'is an income category; the line is money out' });
    }
    if (override.payeeId && !payees.has(override.payeeId)) {
      errors.push({ field: `${at}.payeeId`, message: 'is not one of your payees' });
    }
  });
  if (errors.length) return errors;
  for (const override of overrides) {
    const row = byLine.get(override.line) as Labelled;
    // A chosen category stands for the file's name: the line is no longer "unknown".
    if (override.categoryId !== undefined) Object.assign(row, { category: null, categoryId: override.categoryId });
    if (override.payeeId !== undefined) Object.assign(row, { payee: null, payeeId: override.payeeId });
  }
  return errors;
}

/** Creates the payees the rows name but the user lacks, and sets the rows' `payeeId`. */
export async function createPayees(trx: Trx, userId: string, rows: Labelled[]): Promise<void> {
  const made = new Map((await ensurePayees(trx, userId, newPayees(rows))).map((p) => [key(p.name), p.id]));
  for (const row of rows) if (row.payee && !row.payeeId) row.payeeId = made.get(key(row.payee)) ?? null;
}

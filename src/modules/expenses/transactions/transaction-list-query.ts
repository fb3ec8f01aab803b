import { type SelectQueryBuilder, sql } from 'kysely';
import type { Db } from '../../../db/database.ts';
import type { Database } from '../../../db/schema.ts';
import type { ExpenseTransactionsTable, TransactionKind } from '../tables.ts';
import { transactionColumns } from './transaction-repository.ts';

/**
 * The transaction list: newest first, `(date, id)` keyset pages, each filter in the WHERE. It walks
 * the index that fits (`(user_id, date desc, id desc)`, or the account's, or the payee's) in order
 * and stops after `limit + 1` matches, so a page costs the same on any size of history. An account's
 * list is the union of two ordered index walks (as the source, and as a transfer's target), each
 * limited, merged. A tag's list joins the transaction's tag rows (`expense_transaction_tags`) and
 * orders, cuts and bounds its dates by their copies of the date and id, so it walks that table's
 * `(tag_id, user_id, date desc, transaction_id desc)` index in order, however many of the user's
 * lines the tag holds. Exported for the explain tests.
 */

export interface TransactionFilters {
  accountId?: string | undefined;
  categoryIds?: string[] | undefined;
  tagId?: string | undefined;
  payeeId?: string | undefined;
  kind?: TransactionKind | undefined;
  from?: string | undefined;
  to?: string | undefined;
  minAmount?: string | undefined;
  maxAmount?: string | undefined;
  q?: string | undefined;
}

type Query<O> = SelectQueryBuilder<Database & { t: ExpenseTransactionsTable }, 't', O>;

/** The columns a page is ordered and cut by: the transaction's, or its tag row's copies of them. */
interface Key {
  date: 't.date' | 'tt.date';
  id: 't.id' | 'tt.transaction_id';
}

function filtered<O>(query: Query<O>, f: TransactionFilters, key: Key, after: [string, string] | undefined): Query<O> {
  let q = query;
  const date = sql.ref(key.date);
  if (f.payeeId) q = q.where('t.payee_id', '=', f.payeeId);
  if (f.kind) q = q.where('t.kind', '=', f.kind);
  if (f.from) q = q.where(sql<boolean>`${date} >= ${f.from}::date`);
  if (f.to) q = q.where(sql<boolean>`${date} <= ${f.to}::date`);
  if (f.minAmount) q = q.where('t.amount', '>=', f.minAmount);
  if (f.maxAmount) q = q.where('t.amount', '<=', f.maxAmount);
  if (f.q) q = q.where(sql<boolean>`t.search @@ websearch_to_tsquery('simple', ${f.q})`);
  if (f.categoryIds) {
    const ids = f.categoryIds;
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('expense_lines as l')
          .select(sql`1`.as('one'))
          .whereRef('l.transaction_id', '=', 't.id')
          .where('l.category_id', 'in', ids),
      ),
    );
  }
  if (after) q = q.where(sql<boolean>`(${date}, ${sql.ref(key.id)}) < (${after[0]}::date, ${after[1]}::uuid)`);
  return q;
}

function ordered<O>(query: Query<O>, key: Key, limit: number) {
  return query
    .orderBy(sql.ref(key.date), 'desc')
    .orderBy(sql.ref(key.id), 'desc')
    .limit(limit + 1);
}

export function transactionListQuery(
  db: Db,
  userId: string,
  filters: TransactionFilters,
  page: { limit: number; after?: [string, string] | undefined },
) {
  const { tagId } = filters;
  const key: Key = tagId ? { date: 'tt.date', id: 'tt.transaction_id' } : { date: 't.date', id: 't.id' };
  // Filtered by a tag, the owner is checked on the tag rows (their copy of it) alone: checked on the
  // transactions too, the planner would take the two as independent, expect a handful of rows and
  // sort them rather than walk the tag's index in order and stop.
  const base = db
    .selectFrom('expense_transactions as t')
    .select(transactionColumns())
    .$if(tagId === undefined, (q) => q.where('t.user_id', '=', userId))
    .$if(tagId !== undefined, (q) =>
      q
        .innerJoin('expense_transaction_tags as tt', 'tt.transaction_id', 't.id')
        .where('tt.tag_id', '=', tagId as string)
        .where('tt.user_id', '=', userId),
    );
  const pageOf = (query: typeof base) => ordered(filtered(query, filters, key, page.after), key, page.limit);
  if (!filters.accountId) return pageOf(base);
  const accountId = filters.accountId;
  const asSource = pageOf(base.where('t.account_id', '=', accountId));
  const asTarget = pageOf(base.where('t.transfer_account_id', '=', accountId));
  // Each branch keeps its own ORDER BY and LIMIT inside a subquery (a bare UNION branch cannot).
  const both = db
    .selectFrom(asSource.as('s'))
    .selectAll('s')
    .unionAll(db.selectFrom(asTarget.as('r')).selectAll('r'));
  return db
    .selectFrom(both.as('t'))
    .selectAll('t')
    .orderBy('t.date', 'desc')
    .orderBy('t.id', 'desc')
    .limit(page.limit + 1);
}

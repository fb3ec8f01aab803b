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
 * limited, merged. Exported for the explain tests.
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

function filtered<O>(query: Query<O>, f: TransactionFilters, after: [string, string] | undefined): Query<O> {
  let q = query;
  if (f.payeeId) q = q.where('t.payee_id', '=', f.payeeId);
  if (f.kind) q = q.where('t.kind', '=', f.kind);
  if (f.from) q = q.where('t.date', '>=', f.from);
  if (f.to) q = q.where('t.date', '<=', f.to);
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
  if (f.tagId) {
    const tagId = f.tagId;
    q = q.where(({ exists, selectFrom }) =>
      exists(
        selectFrom('expense_lines as l')
          .innerJoin('expense_line_tags as lt', 'lt.line_id', 'l.id')
          .select(sql`1`.as('one'))
          .whereRef('l.transaction_id', '=', 't.id')
          .where('lt.tag_id', '=', tagId),
      ),
    );
  }
  if (after) q = q.where(sql<boolean>`(t.date, t.id) < (${after[0]}::date, ${after[1]}::uuid)`);
  return q;
}

function ordered<O>(query: Query<O>, limit: number) {
  return query
    .orderBy('t.date', 'desc')
    .orderBy('t.id', 'desc')
    .limit(limit + 1);
}

export function transactionListQuery(
  db: Db,
  userId: string,
  filters: TransactionFilters,
  page: { limit: number; after?: [string, string] | undefined },
) {
  const base = db.selectFrom('expense_transactions as t').select(transactionColumns()).where('t.user_id', '=', userId);
  if (!filters.accountId) return ordered(filtered(base, filters, page.after), page.limit);
  const accountId = filters.accountId;
  const asSource = ordered(filtered(base.where('t.account_id', '=', accountId), filters, page.after), page.limit);
  const asTarget = ordered(
    filtered(base.where('t.transfer_account_id', '=', accountId), filters, page.after),
    page.limit,
  );
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

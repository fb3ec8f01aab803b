import type { Db } from '../src/db/database.ts';
import {
  accountMonthsQuery,
  accountsClosingQuery,
  explainable,
  spendingQuery,
} from '../src/modules/expenses/reports/report-repository.ts';
import { transactionListQuery } from '../src/modules/expenses/transactions/transaction-list-query.ts';
import { benchUserId } from './seed.ts';

export const EXPENSE_TABLES = ['expense_transactions', 'expense_lines', 'expense_monthly'];

/** The expense queries the bench scenarios run, by the same builders the routes use. */
export function expenseQueries(db: Db) {
  const user = benchUserId(1);
  const month = new Date().toISOString().slice(0, 8);
  const yearsAgo = (years: number) => `${Number(month.slice(0, 4)) - years}${month.slice(4)}01`;
  const year = { from: yearsAgo(1), to: `${month}01` };
  const fiveYears = { from: yearsAgo(5), to: `${month}01` };
  return {
    'expenses: transaction list': transactionListQuery(db, user, {}, { limit: 50 }),
    'expenses: transaction list (text search)': transactionListQuery(db, user, { q: 'purchase' }, { limit: 50 }),
    'expenses: spending by category (a year)': explainable(db, spendingQuery(user, year)),
    'expenses: net worth, accounts': explainable(db, accountsClosingQuery(user, fiveYears)),
    'expenses: net worth, months': explainable(db, accountMonthsQuery(user, fiveYears)),
  };
}

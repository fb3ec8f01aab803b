import type { ColumnType, Generated, JSONColumnType } from 'kysely';
import type { CreatedAt, NullableTimestamp, ReadOnly, UpdatedAt } from '../../db/column-types.ts';
import type { RecurrenceRule } from '../../lib/recurrence.ts';

/**
 * The tables the expenses module owns (migration 20261202020000_expenses.ts). Money columns are
 * `numeric` and read as strings (exact); `date` columns are read as `YYYY-MM-DD` text by the queries.
 */

type Version = ColumnType<number, number | undefined, number>;
type Money = ColumnType<string, string, string>;
type DateText = ColumnType<string, string, string>;

export type AccountType = 'cash' | 'checking' | 'savings' | 'credit_card' | 'loan' | 'other_asset' | 'other_liability';
export type TransactionKind = 'expense' | 'income' | 'transfer';
export type CategoryKind = 'expense' | 'income';
export type BudgetPeriod = 'monthly' | 'weekly' | 'custom';
export type Rollover = 'none' | 'positive' | 'both';

export interface ExpenseAccountsTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  type: AccountType;
  currency: string;
  opening_balance: ColumnType<string, string | undefined, string>;
  opening_date: DateText;
  archived_at: NullableTimestamp;
  version: Version;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ExpenseCategoriesTable {
  id: Generated<string>;
  user_id: string;
  parent_id: string | null;
  name: string;
  kind: CategoryKind;
  version: Version;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ExpenseTagsTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  created_at: CreatedAt;
}

export type ExpensePayeesTable = ExpenseTagsTable;

export interface ExpenseTransactionsTable {
  id: Generated<string>;
  user_id: string;
  account_id: string;
  kind: TransactionKind;
  date: DateText;
  amount: Money;
  currency: string;
  payee_id: string | null;
  note: ColumnType<string, string | undefined, string>;
  transfer_account_id: string | null;
  transfer_amount: string | null;
  transfer_currency: string | null;
  recurring_id: string | null;
  occurrence_date: string | null;
  import_batch_id: string | null;
  bank_id: string | null;
  import_key: string | null;
  version: Version;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
  search: ReadOnly<string>;
}

export interface ExpenseLinesTable {
  id: Generated<string>;
  transaction_id: string;
  position: number;
  amount: Money;
  category_id: string | null;
  memo: ColumnType<string, string | undefined, string>;
  date: DateText;
}

export interface ExpenseLineTagsTable {
  line_id: string;
  tag_id: string;
}

/**
 * The tags a transaction carries on any line, with its owner and date: what the tag-filtered list
 * walks in order. Kept by triggers (migration 20261203050000); the app only reads it.
 */
export interface ExpenseTransactionTagsTable {
  transaction_id: string;
  tag_id: string;
  user_id: string;
  date: DateText;
}

export interface ExpenseMonthlyTable {
  user_id: string;
  account_id: string;
  category_id: string | null;
  kind: TransactionKind;
  month: DateText;
  currency: string;
  amount: Money;
  count: number;
}

/** Each account's sum of its roll-up rows, kept by triggers on `expense_monthly` (read only). */
export interface ExpenseAccountTotalsTable {
  account_id: string;
  amount: Money;
}

export interface ExpenseBudgetsTable {
  id: Generated<string>;
  user_id: string;
  category_id: string;
  amount: Money;
  currency: string;
  period: BudgetPeriod;
  start_date: DateText;
  end_date: string | null;
  rollover: Rollover;
  version: Version;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ExpenseRatesTable {
  user_id: string;
  base: string;
  quote: string;
  date: DateText;
  rate: Money;
  created_at: CreatedAt;
}

/** What a recurring rule creates at each occurrence. */
export interface RecurringTemplate {
  kind: TransactionKind;
  amount: string;
  categoryId: string | null;
  payeeId: string | null;
  note: string;
  toAccountId: string | null;
  toAmount: string | null;
}

export interface ExpenseRecurringTable {
  id: Generated<string>;
  user_id: string;
  name: string;
  account_id: string;
  template: JSONColumnType<RecurringTemplate, string, string>;
  rule: JSONColumnType<RecurrenceRule, string, string>;
  start_date: DateText;
  next_date: string | null;
  made: ColumnType<number, number | undefined, number>;
  expected_min: string | null;
  expected_max: string | null;
  version: Version;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface ExpenseImportBatchesTable {
  id: Generated<string>;
  user_id: string;
  account_id: string;
  file_name: string | null;
  row_count: ColumnType<number, number | undefined, number>;
  undone_at: NullableTimestamp;
  created_at: CreatedAt;
}

export interface ExpensesTables {
  expense_accounts: ExpenseAccountsTable;
  expense_categories: ExpenseCategoriesTable;
  expense_tags: ExpenseTagsTable;
  expense_payees: ExpensePayeesTable;
  expense_transactions: ExpenseTransactionsTable;
  expense_lines: ExpenseLinesTable;
  expense_line_tags: ExpenseLineTagsTable;
  expense_transaction_tags: ExpenseTransactionTagsTable;
  expense_monthly: ExpenseMonthlyTable;
  expense_account_totals: ExpenseAccountTotalsTable;
  expense_budgets: ExpenseBudgetsTable;
  expense_rates: ExpenseRatesTable;
  expense_recurring: ExpenseRecurringTable;
  expense_import_batches: ExpenseImportBatchesTable;
}

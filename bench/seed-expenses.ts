/**
 * The expense tracker's bench data: `plan.expenseTransactions` transactions spread over five years
 * and the first ten users (so user 1, whom the scenarios log in as, holds a tenth of them), three
 * accounts each (EUR checking and savings, a USD credit card), sixteen expense and four income
 * categories, daily USD→EUR rates, and the monthly roll-up built from the lines as the API keeps it.
 * Generated inside PostgreSQL; choices are arithmetic on the row number, so every run is the same.
 */

export const EXPENSE_USERS = 10;
const id = (text: string) => `md5(${text})::uuid`;
const USER = (expr: string) => id(`'user' || (${expr})`);
const ACCOUNT = (u: string, k: string) => id(`'exp-account-' || (${u}) || '-' || (${k})`);
const CATEGORY = (u: string, c: string) => id(`'exp-category-' || (${u}) || '-' || (${c})`);
const TX = (i: string) => id(`'exp-tx-' || (${i})`);

type Timed = (label: string, sql: string, params?: unknown[]) => Promise<void>;

export async function seedExpenses(transactions: number, timed: Timed): Promise<void> {
  await timed(
    'expense accounts',
    `insert into expense_accounts (id, user_id, name, type, currency, opening_balance, opening_date)
     select ${ACCOUNT('u', 'k')}, ${USER('u')}, (array['Checking', 'Savings', 'Card'])[k + 1],
            (array['checking', 'savings', 'credit_card'])[k + 1], (array['EUR', 'EUR', 'USD'])[k + 1],
            1000, current_date - 1830
     from generate_series(1, ${EXPENSE_USERS}) as u, generate_series(0, 2) as k`,
  );
  await timed(
    'expense categories',
    `insert into expense_categories (id, user_id, name, kind)
     select ${CATEGORY('u', 'c')}, ${USER('u')}, 'Category ' || c, case when c < 16 then 'expense' else 'income' end
     from generate_series(1, ${EXPENSE_USERS}) as u, generate_series(0, 19) as c`,
  );
  // Every 20th transaction is income; amounts 0.01–500.00; dates over the last five years.
  const row = `(select i, 1 + i % ${EXPENSE_USERS} as u, i % 3 as k, i % 20 = 0 as income,
                 current_date - (i::bigint * 7919 % 1826)::int as d, (1 + i::bigint * 37 % 50000) / 100.0 as amount
               from generate_series(1, $1::int) as i) s`;
  await timed(
    'expense transactions',
    `insert into expense_transactions (id, user_id, account_id, kind, date, amount, currency, note)
     select ${TX('i')}, ${USER('u')}, ${ACCOUNT('u', 'k')}, case when income then 'income' else 'expense' end, d, amount,
            case when k = 2 then 'USD' else 'EUR' end, 'Bench purchase ' || i
     from ${row}`,
    [transactions],
  );
  await timed(
    'expense lines',
    `insert into expense_lines (transaction_id, position, amount, category_id, date)
     select ${TX('i')}, 0, amount, ${CATEGORY('u', 'case when income then 16 + i % 4 else i % 16 end')}, d
     from ${row}`,
    [transactions],
  );
  await timed(
    'expense roll-up',
    `insert into expense_monthly (user_id, account_id, category_id, kind, month, currency, amount, count)
     select t.user_id, t.account_id, l.category_id, t.kind, date_trunc('month', t.date)::date, t.currency,
            sum(case when t.kind = 'income' then l.amount else -l.amount end), count(*)
     from expense_transactions t join expense_lines l on l.transaction_id = t.id
     group by 1, 2, 3, 4, 5, 6`,
  );
  await timed(
    'expense rates',
    `insert into expense_rates (user_id, base, quote, date, rate)
     select ${USER('u')}, 'USD', 'EUR', current_date - d, 0.9 + (d % 10) / 100.0
     from generate_series(1, ${EXPENSE_USERS}) as u, generate_series(0, 1830) as d`,
  );
}

import type { SeedPlan } from './seed.ts';

/**
 * The expense tracker's bench data. Every expense user has the same shape on every size — about 17
 * transactions a month (a person, not a company) — and a size grows in the two ways the reports
 * must shrug off: more users in the tables (`plan.expenseUsers`) and a longer history for each of
 * them (`plan.expenseYears`). So user 1, whom the scenarios log in as, is the same kind of user on
 * both sizes, only with more years behind the window the scenarios ask about and more neighbours.
 * Each user has three accounts (EUR checking and savings, a USD credit card) opened before their
 * history starts, sixteen expense and four income categories, a daily USD→EUR rate over the whole
 * history, and the monthly roll-up built from the lines as the API keeps it. Generated inside
 * PostgreSQL; choices are arithmetic on the row number, so every run is the same.
 */

type ExpensePlan = Pick<SeedPlan, 'expenseTransactions' | 'expenseUsers' | 'expenseYears'>;

const id = (text: string) => `md5(${text})::uuid`;
const USER = (expr: string) => id(`'user' || (${expr})`);
const ACCOUNT = (u: string, k: string) => id(`'exp-account-' || (${u}) || '-' || (${k})`);
const CATEGORY = (u: string, c: string) => id(`'exp-category-' || (${u}) || '-' || (${c})`);
const TX = (i: string) => id(`'exp-tx-' || (${i})`);

type Timed = (label: string, sql: string, params?: unknown[]) => Promise<void>;

export async function seedExpenses(plan: ExpensePlan, timed: Timed): Promise<void> {
  const users = plan.expenseUsers;
  const days = Math.round(plan.expenseYears * 365.25);
  await timed(
    'expense accounts',
    `insert into expense_accounts (id, user_id, name, type, currency, opening_balance, opening_date)
     select ${ACCOUNT('u', 'k')}, ${USER('u')}, (array['Checking', 'Savings', 'Card'])[k + 1],
            (array['checking', 'savings', 'credit_card'])[k + 1], (array['EUR', 'EUR', 'USD'])[k + 1],
            1000, current_date - ${days}
     from generate_series(1, ${users}) as u, generate_series(0, 2) as k`,
  );
  await timed(
    'expense categories',
    `insert into expense_categories (id, user_id, name, kind)
     select ${CATEGORY('u', 'c')}, ${USER('u')}, 'Category ' || c, case when c < 16 then 'expense' else 'income' end
     from generate_series(1, ${users}) as u, generate_series(0, 19) as c`,
  );
  // Transaction i belongs to user u as that user's j-th, j = 0 today and each next one about 1.8
  // days further back (the history over the user's share of transactions), so every month of every
  // history holds the same 16–17. Everything but the amount follows j, so each user gets the same
  // mix: accounts in turn, every 20th one income, the categories in turn — and any month's
  // transactions fall on as many (account, category) pairs, so its roll-up rows are as many on both
  // sizes too (a stride through the days would make some months share pairs, unevenly by size).
  // Amounts 0.01–500.00.
  const perUser = Math.ceil(plan.expenseTransactions / users);
  const row = `(select i, u, j % 3 as k, j % 20 = 0 as income, j,
                 current_date - (j::bigint * ${days} / ${perUser})::int as d, (1 + i::bigint * 37 % 50000) / 100.0 as amount
               from generate_series(1, $1::int) as i,
                    lateral (select 1 + (i - 1) % ${users} as u, (i - 1) / ${users} as j) as owner) s`;
  await timed(
    'expense transactions',
    `insert into expense_transactions (id, user_id, account_id, kind, date, amount, currency, note)
     select ${TX('i')}, ${USER('u')}, ${ACCOUNT('u', 'k')}, case when income then 'income' else 'expense' end, d, amount,
            case when k = 2 then 'USD' else 'EUR' end, 'Bench purchase ' || i
     from ${row}`,
    [plan.expenseTransactions],
  );
  await timed(
    'expense lines',
    `insert into expense_lines (transaction_id, position, amount, category_id, date)
     select ${TX('i')}, 0, amount, ${CATEGORY('u', 'case when income then 16 + j / 20 % 4 else j % 16 end')}, d
     from ${row}`,
    [plan.expenseTransactions],
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
     from generate_series(1, ${users}) as u, generate_series(0, ${days}) as d`,
  );
}

import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { describePlan, planOf } from '../../../src/db/query-plans.ts';
import {
  accountMonthsQuery,
  accountsClosingQuery,
  explainable,
  flowsQuery,
  spendingQuery,
} from '../../../src/modules/expenses/reports/report-repository.ts';
import { rollUp } from '../../../src/modules/expenses/transactions/rollup.ts';
import {
  type TransactionFilters,
  transactionListQuery,
} from '../../../src/modules/expenses/transactions/transaction-list-query.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { createUser } from '../../helpers/users.ts';

/**
 * The transaction list (every filter, first and next page), spending by category, income and
 * cash flows, and net worth are index-backed: on a seeded, analysed history of several users, no
 * plan of the exact queries the routes run reads the big tables (transactions, their lines and
 * tags, the monthly roll-up) with a sequential scan. Accounts are a handful per user and may be.
 * The tag filter is checked both with a tag holding a sliver of the user's lines and with one on
 * half of them, and must walk the transaction tags' list index in order either way.
 */

const app: FastifyInstance = await buildTestApp();
const TRANSACTIONS = 30_000;
const USERS = 40;
const BIG_TABLES = [
  'expense_transactions',
  'expense_lines',
  'expense_line_tags',
  'expense_transaction_tags',
  'expense_monthly',
];
const TAG_INDEX = 'expense_transaction_tags_list_idx';

/** Five years of history, spread over the users' accounts, categories, payees and tags, in plain SQL. */
async function seed(userIds: string[]) {
  const users = sql.val(userIds);
  await sql`insert into expense_accounts (user_id, name, type, currency, opening_date)
    select u, 'Account ' || n, (array['checking', 'savings', 'credit_card'])[n], 'EUR', '2021-01-01'
    from unnest(${users}::uuid[]) u, generate_series(1, 3) n`.execute(app.db);
  await sql`insert into expense_categories (user_id, name, kind)
    select u, 'Category ' || n, case when n = 8 then 'income' else 'expense' end
    from unnest(${users}::uuid[]) u, generate_series(1, 8) n`.execute(app.db);
  await sql`insert into expense_payees (user_id, name)
    select u, 'Payee ' || n from unnest(${users}::uuid[]) u, generate_series(1, 20) n`.execute(app.db);
  await sql`insert into expense_tags (user_id, name)
    select u, 'Tag ' || n from unnest(${users}::uuid[]) u, generate_series(1, 6) n`.execute(app.db);
  // Every tenth is income (on the income category, or a refund on an expense one), the rest spending.
  await sql`
    with owners as (select u as user_id, ordinality - 1 as n from unnest(${users}::uuid[]) with ordinality u),
      accounts as (select user_id, array_agg(id order by name) ids from expense_accounts group by user_id),
      payees as (select user_id, array_agg(id order by name) ids from expense_payees group by user_id)
    insert into expense_transactions (user_id, account_id, kind, date, amount, currency, payee_id, note)
    select o.user_id, a.ids[1 + g % 3], case when g % 10 = 0 then 'income' else 'expense' end,
      date '2021-01-01' + (g % 1826), 1 + (g % 500) + 0.25, 'EUR',
      case when g % 3 = 0 then p.ids[1 + g % 20] end, 'purchase ' || g
    from generate_series(1, ${TRANSACTIONS}) g
      join owners o on o.n = g % ${USERS}
      join accounts a on a.user_id = o.user_id
      join payees p on p.user_id = o.user_id`.execute(app.db);
  await sql`
    with categories as (select user_id, array_agg(id order by name) ids from expense_categories group by user_id)
    insert into expense_lines (transaction_id, position, amount, category_id, date)
    select t.id, 0, t.amount, c.ids[1 + abs(hashtext(t.id::text)) % 8], t.date
    from expense_transactions t join categories c on c.user_id = t.user_id`.execute(app.db);
  // One line in twenty carries one of the five tags, over forty users: a tag holds a sliver of the
  // table. Tag 6 is on every other line of each user: a tag holding half of a user's lines, which
  // a list that reads the tag's lines and then sorts their transactions would read in full. The
  // inserts are the line tags alone, as the app's are: triggers fill the transactions' tag rows.
  await sql`
    with tags as (select user_id, array_agg(id order by name) ids from expense_tags group by user_id)
    insert into expense_line_tags (line_id, tag_id)
    select l.id, g.ids[1 + abs(hashtext(l.id::text)) % 5]
    from expense_lines l join expense_transactions t on t.id = l.transaction_id join tags g on g.user_id = t.user_id
    where abs(hashtext(l.id::text)) % 20 = 0`.execute(app.db);
  await sql`
    with tags as (select user_id, array_agg(id order by name) ids from expense_tags group by user_id)
    insert into expense_line_tags (line_id, tag_id)
    select l.id, g.ids[6]
    from expense_lines l join expense_transactions t on t.id = l.transaction_id join tags g on g.user_id = t.user_id
    where abs(hashtext(l.id::text)) % 2 = 0`.execute(app.db);
  const ids = (await sql<{ id: string }>`select id from expense_transactions`.execute(app.db)).rows.map((r) => r.id);
  // The roll-up as the app keeps it: the same function every write calls.
  await app.db.transaction().execute((trx) => rollUp(trx, ids, 1));
  await sql`analyze`.execute(app.db);
}

test('expense list, spending, flows and net-worth queries use indexes (EXPLAIN on a seeded table)', async (t) => {
  const users = [];
  for (let i = 0; i < USERS; i++) users.push(await createUser(app, `explainexp${i}`));
  await seed(users.map((u) => u.id));
  const me = users[0]?.id as string;
  const first = async (query: string) =>
    (await sql<{ id: string }>`${sql.raw(query)} and user_id = ${me} order by name limit 1`.execute(app.db)).rows[0]
      ?.id as string;
  const accountId = await first('select id from expense_accounts where true');
  const categoryId = await first("select id from expense_categories where kind = 'expense'");
  const payeeId = await first('select id from expense_payees where true');
  const tagId = await first('select id from expense_tags where true');
  const halfTagId = await first("select id from expense_tags where name = 'Tag 6'");
  const tagged = await sql<{
    share: string;
  }>`select round(100.0 * count(*) filter (where tt.tag_id is not null) / count(*))::text as share
    from expense_transactions t left join expense_transaction_tags tt on tt.transaction_id = t.id and tt.tag_id = ${halfTagId}
    where t.user_id = ${me}`.execute(app.db);
  const monthly = await sql<{ count: string }>`select count(*)::text as count from expense_monthly`.execute(app.db);
  t.diagnostic(
    `${TRANSACTIONS} transactions, ${monthly.rows[0]?.count} roll-up rows, the half tag on ${tagged.rows[0]?.share}% of user 1's`,
  );

  const filters: Record<string, TransactionFilters> = {
    none: {},
    account: { accountId },
    category: { categoryIds: [categoryId] },
    tag: { tagId },
    halfTag: { tagId: halfTagId },
    halfTagAndDates: { tagId: halfTagId, from: '2022-01-01', to: '2022-12-31' },
    halfTagAndAccount: { tagId: halfTagId, accountId },
    payee: { payeeId },
    kind: { kind: 'income' },
    dateRange: { from: '2023-01-01', to: '2023-03-31' },
    amountRange: { minAmount: '100', maxAmount: '120' },
    text: { q: 'purchase' },
    accountAndDates: { accountId, from: '2022-01-01', to: '2022-12-31' },
  };
  const queries: Array<[string, Parameters<typeof planOf>[0]]> = [];
  for (const [name, filter] of Object.entries(filters)) {
    for (const after of [undefined, ['2024-06-01', '80000000-0000-4000-8000-000000000000'] as [string, string]]) {
      queries.push([
        `list filter=${name} page=${after ? 'next' : 'first'}`,
        transactionListQuery(app.db, me, filter, { limit: 50, after }),
      ]);
    }
  }
  const year = { from: '2025-01-01', to: '2025-12-01' };
  const fiveYears = { from: '2021-01-01', to: '2025-12-01' };
  queries.push(['spending by category (a year)', explainable(app.db, spendingQuery(me, year))]);
  queries.push(['income vs expense (a year)', explainable(app.db, flowsQuery(me, year, false))]);
  queries.push(['cash flow (a year)', explainable(app.db, flowsQuery(me, year, true))]);
  queries.push(['net worth: accounts to the period end', explainable(app.db, accountsClosingQuery(me, fiveYears))]);
  queries.push(['net worth: five years of months', explainable(app.db, accountMonthsQuery(me, fiveYears))]);

  const failures: string[] = [];
  const used = new Map<string, number>();
  for (const [name, query] of queries) {
    const plan = await planOf(query);
    const scans = plan.filter((node) => BIG_TABLES.includes(node['Relation Name'] ?? ''));
    for (const node of scans) {
      const key = `${node['Node Type']}${node['Index Name'] ? ` ${node['Index Name']}` : ''}`;
      used.set(key, (used.get(key) ?? 0) + 1);
    }
    if (scans.length === 0) failures.push(`${name}: reads none of the big tables`);
    if (scans.some((node) => node['Node Type'] === 'Seq Scan')) failures.push(name);
    // Every tag filter reads the tag's rows through their index. The big tag's page walks it in list
    // order and stops after the page, with no sort: a sort would mean reading all of the tag's rows
    // (a small tag's, or a date range's, few rows may rightly be read whole and sorted).
    if (/filter=\w*[tT]ag/.test(name) && !plan.some((node) => node['Index Name'] === TAG_INDEX)) {
      failures.push(`${name}: ${describePlan(plan)}`);
    }
    if (/filter=halfTag page/.test(name) && plan.some((node) => node['Node Type'] === 'Sort')) {
      failures.push(`${name}: sorts the whole tag`);
    }
  }
  t.diagnostic(`${queries.length} plans; scans: ${[...used].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  assert.deepEqual(failures, [], `sequential scans in ${failures.length} of ${queries.length} plans`);
});

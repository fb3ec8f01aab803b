import { sql } from 'kysely';
import type { Trx } from '../../../db/database.ts';

/**
 * The monthly roll-up (`expense_monthly`): per user, account, category, kind and month, the signed
 * sum of the lines (money in is positive) and their count. Every write to transactions calls
 * `rollUp(trx, ids, -1)` before it changes or deletes them and `rollUp(trx, ids, +1)` after it
 * inserts or changes them, in the same transaction, so the roll-up is always exactly the sum of
 * the lines. Reports and balances read it instead of the transactions: their cost follows the
 * number of months, not of transactions; triggers on it keep each account's running total
 * (`expense_account_totals`, migration 20261203030000), so a balance costs one row. A transfer's
 * incoming side is rolled into the target account in its currency. Rows are written in key order,
 * so concurrent writers queue instead of deadlocking.
 *
 * A categorised line is rolled up under its category's kind, signed by the way the money went: a
 * refund (money in on an expense category) lands on the expense side as a positive amount and
 * lowers the spending, instead of counting as income. A category's kind never changes, so the -1
 * and +1 passes always agree.
 */
export async function rollUp(trx: Trx, transactionIds: readonly string[], sign: 1 | -1): Promise<void> {
  if (transactionIds.length === 0) return;
  const ids = sql.val(transactionIds);
  await sql`
    insert into expense_monthly as m (user_id, account_id, category_id, kind, month, currency, amount, count)
    select user_id, account_id, category_id, kind, month, currency, sum(amount) * ${sign}, count(*) * ${sign}
    from (
      select t.user_id, t.account_id, l.category_id, coalesce(c.kind, t.kind) as kind,
        date_trunc('month', t.date)::date as month,
        t.currency, case when t.kind = 'income' then l.amount else -l.amount end as amount
      from expense_transactions t join expense_lines l on l.transaction_id = t.id
        left join expense_categories c on c.id = l.category_id
      where t.id = any(${ids}::uuid[])
      union all
      select t.user_id, t.transfer_account_id, null, 'transfer', date_trunc('month', t.date)::date,
        t.transfer_currency, t.transfer_amount
      from expense_transactions t
      where t.id = any(${ids}::uuid[]) and t.kind = 'transfer'
    ) lines
    group by user_id, month, account_id, category_id, kind, currency
    order by user_id, month, account_id, category_id, kind
    on conflict (user_id, month, account_id, category_id, kind)
    do update set amount = m.amount + excluded.amount, count = m.count + excluded.count`.execute(trx);
}

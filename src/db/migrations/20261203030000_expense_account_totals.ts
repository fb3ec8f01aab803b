import { type Kysely, sql } from 'kysely';

/**
 * Each account's running total: the sum of all its roll-up rows (`expense_monthly`), kept by
 * triggers on the roll-up. Net worth reads it to start its window — the balance before a period is
 * the total less what came after — so the report costs the months it shows, not the years behind
 * them. Triggers rather than application code: the release still running while this migration
 * lands writes the roll-up too, and its writes must count.
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and typed against no schema.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table expense_account_totals (
      account_id uuid primary key references expense_accounts (id) on delete cascade,
      amount numeric(20, 4) not null
    )`.execute(db);

  // Deltas per account, in account order so two writers never lock the same two totals in turn.
  // Only the delete path never inserts: when an account goes, its roll-up rows and its total are
  // deleted by cascade, and inserting a total for it then would violate the foreign key.
  await sql`
    create function expense_account_totals_apply() returns trigger language plpgsql as $$
    begin
      if tg_op = 'DELETE' then
        perform 1 from expense_account_totals where account_id in (select account_id from old_rows)
          order by account_id for update;
        update expense_account_totals t set amount = t.amount - d.amount
          from (select account_id, sum(amount) as amount from old_rows group by account_id) d
          where t.account_id = d.account_id;
        return null;
      end if;
      if tg_op = 'INSERT' then
        insert into expense_account_totals as t (account_id, amount)
          select account_id, sum(amount) from new_rows group by account_id order by account_id
          on conflict (account_id) do update set amount = t.amount + excluded.amount;
        return null;
      end if;
      insert into expense_account_totals as t (account_id, amount)
        select account_id, sum(amount) from (
          select account_id, amount from new_rows union all select account_id, -amount from old_rows
        ) d
        group by account_id order by account_id
        on conflict (account_id) do update set amount = t.amount + excluded.amount;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger expense_account_totals_insert after insert on expense_monthly
    referencing new table as new_rows for each statement execute function expense_account_totals_apply()`.execute(db);
  await sql`
    create trigger expense_account_totals_update after update on expense_monthly
    referencing old table as old_rows new table as new_rows
    for each statement execute function expense_account_totals_apply()`.execute(db);
  await sql`
    create trigger expense_account_totals_delete after delete on expense_monthly
    referencing old table as old_rows for each statement execute function expense_account_totals_apply()`.execute(db);

  // The trigger above already holds off writers to the roll-up (create trigger locks the table
  // until this migration commits), so the backfill sees every row written before it, once.
  await sql`
    insert into expense_account_totals (account_id, amount)
    select account_id, sum(amount) from expense_monthly group by account_id`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and typed against no schema.
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table expense_account_totals`.execute(db);
  await sql`drop function expense_account_totals_apply() cascade`.execute(db);
}

import { type Kysely, sql } from 'kysely';

/**
 * Which tags each transaction carries (on any of its lines), with the transaction's owner and date
 * copied beside them, for the tag-filtered transaction list: its index is in the list's order
 * (newest first, `(date, id)`), so a page walks one tag's rows in order and stops after `limit`,
 * however large a share of the user's lines the tag holds. Reading the tag's lines and sorting
 * their transactions (the only way before) reads every line of a big tag.
 *
 * Kept by triggers on the line tags, the lines and the transactions' dates rather than by
 * application code: the release still running while this migration lands writes them too, and
 * its writes must show up in the filter. The app never writes this table.
 */

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and typed against no schema.
export async function up(db: Kysely<any>): Promise<void> {
  // create trigger locks the three tables against writers until this migration commits: wait at
  // most this long for that rather than stall the service behind a long query.
  await sql`set local lock_timeout = '5s'`.execute(db);
  await sql`
    create table expense_transaction_tags (
      transaction_id uuid not null references expense_transactions (id) on delete cascade,
      tag_id uuid not null references expense_tags (id) on delete cascade,
      user_id uuid not null,
      date date not null,
      primary key (transaction_id, tag_id)
    )`.execute(db);
  // The tag-filtered list (and a tag's delete cascade): one user's tag, newest first. user_id
  // makes another user's tag id an empty range rather than a walk over that user's rows.
  await sql`create index expense_transaction_tags_list_idx on expense_transaction_tags (tag_id, user_id, date desc, transaction_id desc)`.execute(
    db,
  );

  // A tag is one user's, so the planner must not take the two conditions as independent: it would
  // expect a big tag to hold a few rows (its share times one user's), think a sort of them free,
  // and read the whole tag to sort it instead of walking the index in order.
  await sql`create statistics expense_transaction_tags_owner (dependencies) on tag_id, user_id from expense_transaction_tags`.execute(
    db,
  );

  // Statement triggers with transition tables: one pass per statement, whatever the number of rows.
  // A tag added to a line: its transaction carries it (again, for a second line: no change).
  await sql`
    create function expense_transaction_tags_add() returns trigger language plpgsql as $$
    begin
      insert into expense_transaction_tags (transaction_id, tag_id, user_id, date)
        select distinct l.transaction_id, n.tag_id, t.user_id, t.date
        from new_rows n
          join expense_lines l on l.id = n.line_id
          join expense_transactions t on t.id = l.transaction_id
        order by 1, 2
        on conflict do nothing;
      return null;
    end $$`.execute(db);
  // A tag taken off a line, or a line deleted (its tags go by cascade): the transaction keeps the
  // tag only while another of its lines still has it. A deleted transaction's rows go by cascade.
  await sql`
    create function expense_transaction_tags_drop() returns trigger language plpgsql as $$
    declare
      touched uuid[];
    begin
      if tg_table_name = 'expense_lines' then
        select array_agg(distinct transaction_id) into touched from old_rows;
      else
        -- A line deleted with its tags is gone here already: the lines' own trigger covers it.
        select array_agg(distinct l.transaction_id) into touched
          from old_rows o join expense_lines l on l.id = o.line_id;
      end if;
      delete from expense_transaction_tags tt
        where tt.transaction_id = any (touched)
          and not exists (
            select 1 from expense_lines l join expense_line_tags lt on lt.line_id = l.id
            where l.transaction_id = tt.transaction_id and lt.tag_id = tt.tag_id
          );
      return null;
    end $$`.execute(db);
  await sql`
    create function expense_transaction_tags_move() returns trigger language plpgsql as $$
    begin
      update expense_transaction_tags set date = new.date, user_id = new.user_id where transaction_id = new.id;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger expense_transaction_tags_add after insert on expense_line_tags
    referencing new table as new_rows for each statement execute function expense_transaction_tags_add()`.execute(db);
  await sql`
    create trigger expense_transaction_tags_drop after delete on expense_line_tags
    referencing old table as old_rows for each statement execute function expense_transaction_tags_drop()`.execute(db);
  await sql`
    create trigger expense_transaction_tags_drop after delete on expense_lines
    referencing old table as old_rows for each statement execute function expense_transaction_tags_drop()`.execute(db);
  await sql`
    create trigger expense_transaction_tags_move after update of date, user_id on expense_transactions
    for each row when (old.date is distinct from new.date or old.user_id is distinct from new.user_id)
    execute function expense_transaction_tags_move()`.execute(db);

  // The triggers above hold off writers until this commits, so the backfill sees every tag written
  // before it, once. One statement, in this transaction: batches after it could race the triggers
  // (a batch's snapshot older than a tag removed meanwhile would put the removed row back).
  await sql`
    insert into expense_transaction_tags (transaction_id, tag_id, user_id, date)
    select distinct l.transaction_id, lt.tag_id, t.user_id, t.date
    from expense_line_tags lt
      join expense_lines l on l.id = lt.line_id
      join expense_transactions t on t.id = l.transaction_id`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table expense_transaction_tags`.execute(db);
  await sql`drop function expense_transaction_tags_add() cascade`.execute(db);
  await sql`drop function expense_transaction_tags_drop() cascade`.execute(db);
  await sql`drop function expense_transaction_tags_move() cascade`.execute(db);
}

import { type Kysely, sql } from 'kysely';

/**
 * The expense tracker. Money is `numeric(20,4)`: exact, and wide enough for every ISO 4217
 * currency's minor units (at most 4, CLF/UYW); the API refuses more decimals than the currency has.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and typed against no schema.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table expense_accounts (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      name text not null check (char_length(name) between 1 and 200),
      type text not null check (type in ('cash', 'checking', 'savings', 'credit_card', 'loan', 'other_asset', 'other_liability')),
      currency char(3) not null,
      opening_balance numeric(20, 4) not null default 0,
      opening_date date not null,
      archived_at timestamptz(3),
      version integer not null default 1,
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      unique (user_id, id)
    )`.execute(db);
  await sql`create unique index expense_accounts_name_idx on expense_accounts (user_id, lower(name))`.execute(db);

  await sql`
    create table expense_categories (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      parent_id uuid references expense_categories (id) on delete restrict,
      name text not null check (char_length(name) between 1 and 100),
      kind text not null check (kind in ('expense', 'income')),
      version integer not null default 1,
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now()
    )`.execute(db);
  await sql`create unique index expense_categories_name_idx on expense_categories (user_id, coalesce(parent_id, '00000000-0000-0000-0000-000000000000'::uuid), lower(name))`.execute(
    db,
  );
  await sql`create index expense_categories_parent_idx on expense_categories (parent_id) where parent_id is not null`.execute(
    db,
  );

  await sql`
    create table expense_tags (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      name text not null check (char_length(name) between 1 and 50),
      created_at timestamptz(3) not null default now()
    )`.execute(db);
  await sql`create unique index expense_tags_name_idx on expense_tags (user_id, lower(name))`.execute(db);

  await sql`
    create table expense_payees (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      name text not null check (char_length(name) between 1 and 200),
      created_at timestamptz(3) not null default now()
    )`.execute(db);
  await sql`create unique index expense_payees_name_idx on expense_payees (user_id, lower(name))`.execute(db);

  await sql`
    create table expense_import_batches (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      account_id uuid not null references expense_accounts (id) on delete cascade,
      file_name text,
      row_count integer not null default 0,
      undone_at timestamptz(3),
      created_at timestamptz(3) not null default now()
    )`.execute(db);
  await sql`create index expense_import_batches_user_idx on expense_import_batches (user_id, created_at desc, id)`.execute(
    db,
  );
  await sql`create index expense_import_batches_account_idx on expense_import_batches (account_id)`.execute(db);

  await sql`
    create table expense_recurring (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      name text not null check (char_length(name) between 1 and 200),
      account_id uuid not null references expense_accounts (id) on delete cascade,
      template jsonb not null,
      rule jsonb not null,
      start_date date not null,
      -- The next occurrence not yet made (null once the rule has ended) and how many were made:
      -- the job's catch-up walks from here to today.
      next_date date,
      made integer not null default 0,
      expected_min numeric(20, 4),
      expected_max numeric(20, 4),
      version integer not null default 1,
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now()
    )`.execute(db);
  await sql`create index expense_recurring_user_idx on expense_recurring (user_id, created_at, id)`.execute(db);
  // The job's scan: rules with an occurrence due.
  await sql`create index expense_recurring_due_idx on expense_recurring (next_date) where next_date is not null`.execute(
    db,
  );
  await sql`create index expense_recurring_account_idx on expense_recurring (account_id)`.execute(db);

  await sql`
    create table expense_transactions (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      account_id uuid not null,
      kind text not null check (kind in ('expense', 'income', 'transfer')),
      date date not null,
      -- The total, positive, in the account's currency (kept here so reports never join accounts).
      amount numeric(20, 4) not null check (amount > 0),
      currency char(3) not null,
      payee_id uuid references expense_payees (id) on delete set null,
      note text not null default '' check (char_length(note) <= 2000),
      transfer_account_id uuid,
      transfer_amount numeric(20, 4) check (transfer_amount > 0),
      transfer_currency char(3),
      recurring_id uuid references expense_recurring (id) on delete set null,
      occurrence_date date,
      import_batch_id uuid references expense_import_batches (id) on delete cascade,
      bank_id text check (char_length(bank_id) <= 200),
      -- account/date/amount/text and the row's occurrence index in its file: an import's duplicate key.
      import_key text,
      version integer not null default 1,
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      search tsvector generated always as (to_tsvector('simple', note)) stored,
      foreign key (user_id, account_id) references expense_accounts (user_id, id) on delete cascade,
      foreign key (user_id, transfer_account_id) references expense_accounts (user_id, id) on delete cascade,
      check ((kind = 'transfer') = (transfer_account_id is not null)),
      check ((transfer_account_id is null) = (transfer_amount is null)),
      check (transfer_account_id is distinct from account_id)
    )`.execute(db);
  // The list (newest first) and every filter that narrows it by user.
  await sql`create index expense_transactions_list_idx on expense_transactions (user_id, date desc, id desc)`.execute(
    db,
  );
  await sql`create index expense_transactions_account_idx on expense_transactions (account_id, date desc, id desc)`.execute(
    db,
  );
  await sql`create index expense_transactions_transfer_idx on expense_transactions (transfer_account_id, date desc, id desc) where transfer_account_id is not null`.execute(
    db,
  );
  await sql`create index expense_transactions_payee_idx on expense_transactions (payee_id, date desc, id desc) where payee_id is not null`.execute(
    db,
  );
  await sql`create index expense_transactions_amount_idx on expense_transactions (user_id, amount)`.execute(db);
  await sql`create index expense_transactions_search_idx on expense_transactions using gin (search)`.execute(db);
  await sql`create index expense_transactions_batch_idx on expense_transactions (import_batch_id) where import_batch_id is not null`.execute(
    db,
  );
  await sql`create unique index expense_transactions_bank_id_idx on expense_transactions (account_id, bank_id) where bank_id is not null`.execute(
    db,
  );
  await sql`create unique index expense_transactions_import_key_idx on expense_transactions (account_id, import_key) where import_key is not null`.execute(
    db,
  );
  // One transaction per occurrence of a recurring rule, however often the job runs.
  await sql`create unique index expense_transactions_occurrence_idx on expense_transactions (recurring_id, occurrence_date) where recurring_id is not null`.execute(
    db,
  );

  await sql`
    create table expense_lines (
      id uuid primary key default gen_random_uuid(),
      transaction_id uuid not null references expense_transactions (id) on delete cascade,
      position smallint not null,
      amount numeric(20, 4) not null,
      category_id uuid references expense_categories (id) on delete restrict,
      memo text not null default '' check (char_length(memo) <= 500),
      -- Copied from the transaction so a budget's "spent in this category between these dates" is one index range.
      date date not null,
      unique (transaction_id, position)
    )`.execute(db);
  await sql`create index expense_lines_category_idx on expense_lines (category_id, date) include (amount, transaction_id) where category_id is not null`.execute(
    db,
  );

  await sql`
    create table expense_line_tags (
      line_id uuid not null references expense_lines (id) on delete cascade,
      tag_id uuid not null references expense_tags (id) on delete cascade,
      primary key (line_id, tag_id)
    )`.execute(db);
  await sql`create index expense_line_tags_tag_idx on expense_line_tags (tag_id, line_id)`.execute(db);

  // The monthly roll-up, kept in the same transaction as every write: reports read it, so their
  // cost grows with accounts × categories × months, never with the number of transactions.
  await sql`
    create table expense_monthly (
      user_id uuid not null references users (id) on delete cascade,
      account_id uuid not null references expense_accounts (id) on delete cascade,
      category_id uuid references expense_categories (id) on delete cascade,
      kind text not null,
      month date not null,
      currency char(3) not null,
      -- Signed, as the account sees it: money in is positive.
      amount numeric(20, 4) not null,
      count integer not null
    )`.execute(db);
  await sql`create unique index expense_monthly_key_idx on expense_monthly (user_id, month, account_id, category_id, kind) nulls not distinct`.execute(
    db,
  );
  await sql`create index expense_monthly_account_idx on expense_monthly (account_id, month)`.execute(db);
  await sql`create index expense_monthly_category_idx on expense_monthly (category_id) where category_id is not null`.execute(
    db,
  );

  await sql`
    create table expense_budgets (
      id uuid primary key default gen_random_uuid(),
      user_id uuid not null references users (id) on delete cascade,
      category_id uuid not null references expense_categories (id) on delete cascade,
      amount numeric(20, 4) not null check (amount >= 0),
      currency char(3) not null,
      period text not null check (period in ('monthly', 'weekly', 'custom')),
      start_date date not null,
      end_date date,
      rollover text not null check (rollover in ('none', 'positive', 'both')),
      version integer not null default 1,
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      check ((period = 'custom') = (end_date is not null)),
      check (end_date is null or end_date >= start_date)
    )`.execute(db);
  await sql`create index expense_budgets_user_idx on expense_budgets (user_id, created_at, id)`.execute(db);
  await sql`create index expense_budgets_category_idx on expense_budgets (category_id)`.execute(db);

  await sql`
    create table expense_rates (
      user_id uuid not null references users (id) on delete cascade,
      base char(3) not null,
      quote char(3) not null,
      date date not null,
      -- One unit of base is worth this many of quote.
      rate numeric(30, 12) not null check (rate > 0),
      created_at timestamptz(3) not null default now(),
      primary key (user_id, base, quote, date),
      check (base <> quote)
    )`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'expense_rates',
    'expense_budgets',
    'expense_monthly',
    'expense_line_tags',
    'expense_lines',
    'expense_transactions',
    'expense_recurring',
    'expense_import_batches',
    'expense_payees',
    'expense_tags',
    'expense_categories',
    'expense_accounts',
  ]) {
    await sql`drop table ${sql.table(table)}`.execute(db);
  }
}

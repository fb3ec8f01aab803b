import { type Kysely, sql } from 'kysely';

// Notes (src/modules/notes). A note's key is (owner_id, id): clients pick ids offline, and a
// per-owner key means an id someone else already uses is simply free for you — nothing about
// another user's notes can be learned by choosing ids.

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and typed against no schema.
export async function up(db: Kysely<any>): Promise<void> {
  // Trigram matching (CJK text, substrings) and accent folding. Both ship with PostgreSQL's
  // contrib and with PGlite (loaded in src/db/database.ts).
  await sql`create extension if not exists pg_trgm`.execute(db);
  await sql`create extension if not exists unaccent`.execute(db);
  // GIN indexes that start with the owner: a search reads one user's matches, not everyone's.
  await sql`create extension if not exists btree_gin`.execute(db);
  // unaccent(text) is only STABLE (it finds its dictionary through search_path); naming the
  // dictionary and function by schema makes the result fixed, so this wrapper may be IMMUTABLE and
  // serve in index expressions and generated columns.
  await sql`
    create function notes_fold(text) returns text
    language sql immutable parallel safe strict
    as $$ select lower(public.unaccent('public.unaccent'::regdictionary, $1)) $$`.execute(db);
  // array_to_string is only STABLE (in general its output depends on element types' output
  // functions); for text[] it is fixed, which lets the search vector below use it.
  await sql`
    create function notes_words(text[]) returns text
    language sql immutable parallel safe strict
    as $$ select array_to_string($1, ' ') $$`.execute(db);
  // Full-text search for any language: the 'simple' parser and dictionary (no stemming, no stop
  // words: they are language-specific) behind unaccent, so "creme" finds "Crème". ts_headline with
  // this configuration highlights the original, accented text.
  await sql`create text search configuration notes_search (copy = simple)`.execute(db);
  await sql`
    alter text search configuration notes_search
    alter mapping for asciiword, asciihword, hword_asciipart, word, hword, hword_part, numword, numhword, hword_numpart
    with public.unaccent, simple`.execute(db);

  await sql`
    create table note_notebooks (
      id uuid primary key default gen_random_uuid(),
      owner_id uuid not null references users (id) on delete cascade,
      parent_id uuid references note_notebooks (id) on delete cascade,
      name text not null check (char_length(name) between 1 and 200),
      version integer not null default 1,
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now()
    )`.execute(db);
  // "My notebooks" (GET /api/notes/notebooks), and one name per folder.
  await sql`
    create unique index note_notebooks_name_key
    on note_notebooks (owner_id, coalesce(parent_id, '00000000-0000-0000-0000-000000000000'), lower(name))`.execute(db);
  await sql`create index note_notebooks_parent_id_idx on note_notebooks (parent_id)`.execute(db);
  // The list, by name (keyset on lower(name), id).
  await sql`create index note_notebooks_owner_name_idx on note_notebooks (owner_id, lower(name), id)`.execute(db);

  // Per owner: the last change sequence handed out (the sync feed's order) and the highest one a
  // pruned tombstone carried (an older cursor must resync: 410).
  await sql`
    create table note_sync_state (
      owner_id uuid primary key references users (id) on delete cascade,
      last_seq bigint not null default 0,
      pruned_seq bigint not null default 0
    )`.execute(db);

  await sql`
    create table notes (
      owner_id uuid not null references users (id) on delete cascade,
      id uuid not null,
      notebook_id uuid references note_notebooks (id) on delete set null,
      title text not null default '' check (char_length(title) <= 500),
      body text not null default '' check (char_length(body) <= 200000),
      tags text[] not null default '{}',
      -- tags plus the #hashtags of the body: what the tag filter and the search read.
      all_tags text[] not null default '{}',
      pinned boolean not null default false,
      archived boolean not null default false,
      version integer not null default 1,
      sync_seq bigint not null,
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      trashed_at timestamptz(3),
      -- Weights: title A > tags B > body C.
      search tsvector generated always as (
        setweight(to_tsvector('notes_search', title), 'A')
        || setweight(to_tsvector('notes_search', notes_words(all_tags)), 'B')
        || setweight(to_tsvector('notes_search', body), 'C')
      ) stored,
      primary key (owner_id, id)
    )`.execute(db);
  // The list (GET /api/notes, newest change first) and its updated range.
  await sql`create index notes_owner_updated_idx on notes (owner_id, updated_at, id) where trashed_at is null`.execute(
    db,
  );
  // A notebook's notes (?notebook=), and the notebook foreign key.
  await sql`create index notes_notebook_updated_idx on notes (notebook_id, updated_at, id)`.execute(db);
  // ?tag= and ?q= (words, and trigrams of the folded text for CJK and substrings), per owner.
  await sql`create index notes_all_tags_idx on notes using gin (owner_id, all_tags)`.execute(db);
  await sql`create index notes_search_idx on notes using gin (owner_id, search)`.execute(db);
  await sql`
    create index notes_trgm_idx on notes using gin (owner_id, notes_fold(title || ' ' || body) gin_trgm_ops)`.execute(
    db,
  );
  // The trash (GET /api/notes/trash) and its purge (every owner's, oldest first).
  await sql`create index notes_owner_trashed_idx on notes (owner_id, trashed_at, id) where trashed_at is not null`.execute(
    db,
  );
  await sql`create index notes_trashed_idx on notes (trashed_at) where trashed_at is not null`.execute(db);
  // The sync feed (GET /api/notes/changes).
  await sql`create unique index notes_owner_sync_seq_key on notes (owner_id, sync_seq)`.execute(db);

  // A permanently deleted note, for the sync feed, until NOTES_SYNC_RETENTION_DAYS.
  await sql`
    create table note_tombstones (
      owner_id uuid not null references users (id) on delete cascade,
      sync_seq bigint not null,
      note_id uuid not null,
      deleted_at timestamptz(3) not null default now(),
      primary key (owner_id, sync_seq)
    )`.execute(db);
  await sql`create index note_tombstones_deleted_at_idx on note_tombstones (deleted_at)`.execute(db);

  await sql`
    create table note_revisions (
      owner_id uuid not null,
      note_id uuid not null,
      rev integer not null,
      author_id uuid references users (id) on delete set null,
      title text not null,
      body text not null,
      tags text[] not null,
      notebook_id uuid,
      restored_from integer,
      created_at timestamptz(3) not null default now(),
      updated_at timestamptz(3) not null default now(),
      primary key (owner_id, note_id, rev),
      foreign key (owner_id, note_id) references notes (owner_id, id) on delete cascade
    )`.execute(db);

  // Links out of a note: to a note id (/notes/{id}), or to a title ([[Title]], folded), which
  // matches whatever note has that title now or later.
  await sql`
    create table note_links (
      owner_id uuid not null,
      source_id uuid not null,
      target_id uuid,
      target_title text,
      check ((target_id is null) <> (target_title is null)),
      foreign key (owner_id, source_id) references notes (owner_id, id) on delete cascade
    )`.execute(db);
  await sql`create index note_links_source_idx on note_links (owner_id, source_id)`.execute(db);
  await sql`create index note_links_target_id_idx on note_links (owner_id, target_id) where target_id is not null`.execute(
    db,
  );
  await sql`
    create index note_links_target_title_idx on note_links (owner_id, target_title) where target_title is not null`.execute(
    db,
  );

  await sql`
    create table note_shares (
      id uuid primary key default gen_random_uuid(),
      owner_id uuid not null,
      note_id uuid not null,
      token_hash bytea not null unique,
      expires_at timestamptz(3),
      revoked_at timestamptz(3),
      created_at timestamptz(3) not null default now(),
      foreign key (owner_id, note_id) references notes (owner_id, id) on delete cascade
    )`.execute(db);
  await sql`create index note_shares_note_idx on note_shares (owner_id, note_id)`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'note_shares',
    'note_links',
    'note_revisions',
    'note_tombstones',
    'notes',
    'note_sync_state',
    'note_notebooks',
  ]) {
    await sql.raw(`drop table ${table}`).execute(db);
  }
  await sql`drop text search configuration notes_search`.execute(db);
  await sql`drop function notes_words(text[])`.execute(db);
  await sql`drop function notes_fold(text)`.execute(db);
}

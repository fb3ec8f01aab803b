import { type Kysely, sql } from 'kysely';

/**
 * Blog (RealWorld): articles, tags, favorites, follows, comments, and the counters that keep
 * `favoritesCount`, `articlesCount` and the tag list cheap at a million articles.
 *
 * Counters are maintained by statement-level triggers with transition tables, in the same
 * transaction as the write that changes them. Triggers rather than application code because
 * rows also disappear through `on delete cascade` (a deleted user takes their articles,
 * favorites and follows along), which no application code sees; statement-level so a bulk
 * insert (a benchmark seed of 1M rows) updates each counter once per statement, not per row.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and typed against no schema.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table blog_articles (
      id bigint generated always as identity primary key,
      slug text not null,
      author_id uuid not null references users (id) on delete cascade,
      title text not null,
      description text not null,
      body text not null,
      favorites_count integer not null default 0,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  // GET /articles/:slug and every slug-addressed route.
  await sql`create unique index blog_articles_slug_key on blog_articles (slug)`.execute(db);
  // GET /articles (no filter): newest first, read straight off this index.
  await sql`create index blog_articles_recent_idx on blog_articles (created_at desc, id desc)`.execute(db);
  // GET /articles?author= and the feed (one index range per followed author); also the FK.
  await sql`create index blog_articles_author_recent_idx on blog_articles (author_id, created_at desc, id desc)`.execute(
    db,
  );

  await sql`
    create table blog_tags (
      id integer generated always as identity primary key,
      name text not null,
      articles_count integer not null default 0
    )`.execute(db);
  await sql`create unique index blog_tags_name_key on blog_tags (name)`.execute(db);
  // GET /tags: the most used tags first.
  await sql`create index blog_tags_popular_idx on blog_tags (articles_count desc, name)`.execute(db);

  // article_created_at copies the article's (immutable) created_at, so a tag's articles come off
  // one index already in page order instead of being joined and sorted.
  await sql`
    create table blog_article_tags (
      article_id bigint not null references blog_articles (id) on delete cascade,
      tag_id integer not null references blog_tags (id) on delete cascade,
      article_created_at timestamptz not null,
      primary key (article_id, tag_id)
    )`.execute(db);
  // GET /articles?tag= ; also the FK on tag_id.
  await sql`create index blog_article_tags_tag_recent_idx on blog_article_tags (tag_id, article_created_at desc, article_id desc)`.execute(
    db,
  );

  await sql`
    create table blog_favorites (
      user_id uuid not null references users (id) on delete cascade,
      article_id bigint not null references blog_articles (id) on delete cascade,
      article_created_at timestamptz not null,
      created_at timestamptz not null default now(),
      primary key (user_id, article_id)
    )`.execute(db);
  // The FK on article_id (cascade when an article is deleted).
  await sql`create index blog_favorites_article_idx on blog_favorites (article_id)`.execute(db);
  // GET /articles?favorited= : a user's favorites, newest article first.
  await sql`create index blog_favorites_user_recent_idx on blog_favorites (user_id, article_created_at desc, article_id desc)`.execute(
    db,
  );

  await sql`
    create table blog_follows (
      follower_id uuid not null references users (id) on delete cascade,
      followee_id uuid not null references users (id) on delete cascade,
      created_at timestamptz not null default now(),
      primary key (follower_id, followee_id)
    )`.execute(db);
  // The FK on followee_id.
  await sql`create index blog_follows_followee_idx on blog_follows (followee_id)`.execute(db);

  await sql`
    create table blog_comments (
      id bigint generated always as identity primary key,
      article_id bigint not null references blog_articles (id) on delete cascade,
      author_id uuid not null references users (id) on delete cascade,
      body text not null,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now()
    )`.execute(db);
  // GET /articles/:slug/comments, in order; also the FK.
  await sql`create index blog_comments_article_idx on blog_comments (article_id, id)`.execute(db);
  // The FK on author_id.
  await sql`create index blog_comments_author_idx on blog_comments (author_id)`.execute(db);

  // Per-user counters: articles written (articlesCount for ?author= and the feed) and articles
  // favorited (articlesCount for ?favorited=).
  await sql`
    create table blog_user_stats (
      user_id uuid primary key references users (id) on delete cascade,
      articles_count integer not null default 0,
      favorites_count integer not null default 0
    )`.execute(db);
  // One row: the number of articles (articlesCount of the unfiltered list).
  await sql`
    create table blog_stats (
      id boolean primary key default true check (id),
      articles_count bigint not null default 0
    )`.execute(db);
  await sql`insert into blog_stats default values`.execute(db);

  await sql`
    create function blog_articles_inserted() returns trigger language plpgsql as $$
    begin
      if not exists (select 1 from new_rows) then return null; end if;
      update blog_stats set articles_count = articles_count + (select count(*) from new_rows);
      insert into blog_user_stats as s (user_id, articles_count)
        select author_id, count(*) from new_rows group by author_id order by author_id
        on conflict (user_id) do update set articles_count = s.articles_count + excluded.articles_count;
      return null;
    end $$`.execute(db);
  await sql`
    create function blog_articles_deleted() returns trigger language plpgsql as $$
    begin
      if not exists (select 1 from old_rows) then return null; end if;
      update blog_stats set articles_count = articles_count - (select count(*) from old_rows);
      update blog_user_stats s set articles_count = s.articles_count - d.n
        from (select author_id, count(*) as n from old_rows group by author_id) d
        where s.user_id = d.author_id;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger blog_articles_count_insert after insert on blog_articles
    referencing new table as new_rows for each statement execute function blog_articles_inserted()`.execute(db);
  await sql`
    create trigger blog_articles_count_delete after delete on blog_articles
    referencing old table as old_rows for each statement execute function blog_articles_deleted()`.execute(db);

  // Tag rows are locked in id order first, so two articles sharing tags never deadlock.
  await sql`
    create function blog_article_tags_inserted() returns trigger language plpgsql as $$
    begin
      perform 1 from blog_tags where id in (select tag_id from new_rows) order by id for update;
      update blog_tags t set articles_count = t.articles_count + d.n
        from (select tag_id, count(*) as n from new_rows group by tag_id) d
        where t.id = d.tag_id;
      return null;
    end $$`.execute(db);
  await sql`
    create function blog_article_tags_deleted() returns trigger language plpgsql as $$
    begin
      perform 1 from blog_tags where id in (select tag_id from old_rows) order by id for update;
      update blog_tags t set articles_count = t.articles_count - d.n
        from (select tag_id, count(*) as n from old_rows group by tag_id) d
        where t.id = d.tag_id;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger blog_article_tags_count_insert after insert on blog_article_tags
    referencing new table as new_rows for each statement execute function blog_article_tags_inserted()`.execute(db);
  await sql`
    create trigger blog_article_tags_count_delete after delete on blog_article_tags
    referencing old table as old_rows for each statement execute function blog_article_tags_deleted()`.execute(db);

  // favorites_count on the article and favorites_count of the user. An `on conflict do nothing`
  // insert of an existing favorite, or a delete of a missing one, has no rows here: idempotent
  // toggles never double count.
  await sql`
    create function blog_favorites_inserted() returns trigger language plpgsql as $$
    begin
      if not exists (select 1 from new_rows) then return null; end if;
      update blog_articles a set favorites_count = a.favorites_count + d.n
        from (select article_id, count(*) as n from new_rows group by article_id) d
        where a.id = d.article_id;
      insert into blog_user_stats as s (user_id, favorites_count)
        select user_id, count(*) from new_rows group by user_id order by user_id
        on conflict (user_id) do update set favorites_count = s.favorites_count + excluded.favorites_count;
      return null;
    end $$`.execute(db);
  await sql`
    create function blog_favorites_deleted() returns trigger language plpgsql as $$
    begin
      if not exists (select 1 from old_rows) then return null; end if;
      update blog_articles a set favorites_count = a.favorites_count - d.n
        from (select article_id, count(*) as n from old_rows group by article_id) d
        where a.id = d.article_id;
      update blog_user_stats s set favorites_count = s.favorites_count - d.n
        from (select user_id, count(*) as n from old_rows group by user_id) d
        where s.user_id = d.user_id;
      return null;
    end $$`.execute(db);
  await sql`
    create trigger blog_favorites_count_insert after insert on blog_favorites
    referencing new table as new_rows for each statement execute function blog_favorites_inserted()`.execute(db);
  await sql`
    create trigger blog_favorites_count_delete after delete on blog_favorites
    referencing old table as old_rows for each statement execute function blog_favorites_deleted()`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up.
export async function down(db: Kysely<any>): Promise<void> {
  for (const table of [
    'blog_comments',
    'blog_follows',
    'blog_favorites',
    'blog_article_tags',
    'blog_tags',
    'blog_articles',
    'blog_user_stats',
    'blog_stats',
  ]) {
    await sql`drop table if exists ${sql.table(table)} cascade`.execute(db);
  }
  for (const fn of [
    'blog_articles_inserted',
    'blog_articles_deleted',
    'blog_article_tags_inserted',
    'blog_article_tags_deleted',
    'blog_favorites_inserted',
    'blog_favorites_deleted',
  ]) {
    await sql`drop function if exists ${sql.raw(fn)}()`.execute(db);
  }
}

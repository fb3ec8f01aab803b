import { type InferResult, type RawBuilder, type SelectQueryBuilder, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Database } from '../../db/schema.ts';

/**
 * The read queries behind every list the blog serves, as builders. The repository runs them;
 * `test/modules/blog/explain.test.ts` EXPLAINs these same builders, so the plans it checks are
 * the plans the routes run.
 *
 * Shape of a list request, whatever the page size: one statement, so one round trip. Page ids
 * come off an index in page order; per row, primary-key joins fetch the article (with its tag
 * names) and its author, and `favorited`/`following` are probes by primary key. The count rides
 * along as an uncorrelated subquery, which PostgreSQL evaluates once per statement.
 */

export interface Page {
  limit: number;
  offset: number;
}

export interface ArticleFilters {
  tag?: string | undefined;
  author?: string | undefined;
  favorited?: string | undefined;
}

/**
 * `articlesCount` for a combination of filters no counter covers (tag + author, …) counts at
 * most this many matches off the driving index, so the request costs the same at any table size.
 */
export const COUNT_CAP = 10_000;

type PageIds = SelectQueryBuilder<Database, never, { id: number }>;

/** A user's id from a username, case-insensitively (usernames are unique by lower(username)). */
function userIdByName(db: Db, username: string) {
  return db
    .selectFrom('user_profiles')
    .select('user_profiles.id')
    .where(sql`lower(user_profiles.username)`, '=', sql`lower(${username})`);
}

function tagIdByName(db: Db, tag: string) {
  return db.selectFrom('blog_tags').select('blog_tags.id').where('blog_tags.name', '=', tag);
}

/**
 * The ids matching the filters, newest first, without paging. One filter drives off its own
 * index (tag → blog_article_tags, favorited → blog_favorites, author → blog_articles by author,
 * none → blog_articles by date); any others are checked per row by primary key.
 */
function matchingIds(db: Db, filters: ArticleFilters) {
  const { tag, author, favorited } = filters;
  if (tag !== undefined) {
    let query = db
      .selectFrom('blog_article_tags as d')
      .select('d.article_id as id')
      .where('d.tag_id', '=', tagIdByName(db, tag))
      .orderBy('d.article_created_at', 'desc')
      .orderBy('d.article_id', 'desc');
    if (favorited !== undefined) query = query.where(isFavoritedBy(db, favorited, 'd.article_id'));
    if (author !== undefined) query = query.where(isWrittenBy(db, author, 'd.article_id'));
    return query as unknown as PageIds;
  }
  if (favorited !== undefined) {
    let query = db
      .selectFrom('blog_favorites as d')
      .select('d.article_id as id')
      .where('d.user_id', '=', userIdByName(db, favorited))
      .orderBy('d.article_created_at', 'desc')
      .orderBy('d.article_id', 'desc');
    if (author !== undefined) query = query.where(isWrittenBy(db, author, 'd.article_id'));
    return query as unknown as PageIds;
  }
  let query = db
    .selectFrom('blog_articles as d')
    .select('d.id')
    .orderBy('d.created_at', 'desc')
    .orderBy('d.id', 'desc');
  if (author !== undefined) query = query.where('d.author_id', '=', userIdByName(db, author));
  return query as unknown as PageIds;
}

function isFavoritedBy(db: Db, username: string, articleRef: 'd.article_id') {
  return sql<boolean>`exists (${db
    .selectFrom('blog_favorites as ff')
    .select(sql.lit(1).as('one'))
    .where('ff.user_id', '=', userIdByName(db, username))
    .where('ff.article_id', '=', sql.ref<number>(articleRef))})`;
}

function isWrittenBy(db: Db, username: string, articleRef: 'd.article_id') {
  return sql<boolean>`exists (${db
    .selectFrom('blog_articles as aa')
    .select(sql.lit(1).as('one'))
    .where('aa.id', '=', sql.ref<number>(articleRef))
    .where('aa.author_id', '=', userIdByName(db, username))})`;
}

/** GET /articles: one page of ids matching the filters. */
function listPageIds(db: Db, filters: ArticleFilters, page: Page): PageIds {
  return matchingIds(db, filters).limit(page.limit).offset(page.offset);
}

/**
 * GET /articles/feed: the newest articles of the authors `viewerId` follows. Each followed
 * author contributes at most offset+limit of their newest articles (one index range each), and
 * the page is cut from that merge: the cost grows with the follow count and the page depth, not
 * with the table.
 */
function feedPageIds(db: Db, viewerId: string, page: Page): PageIds {
  return db
    .selectFrom('blog_follows as f')
    .innerJoinLateral(
      (eb) =>
        eb
          .selectFrom('blog_articles as a')
          .select(['a.id', 'a.created_at'])
          .whereRef('a.author_id', '=', 'f.followee_id')
          .orderBy('a.created_at', 'desc')
          .orderBy('a.id', 'desc')
          .limit(page.offset + page.limit)
          .as('x'),
      (join) => join.onTrue(),
    )
    .select('x.id')
    .where('f.follower_id', '=', viewerId)
    .orderBy('x.created_at', 'desc')
    .orderBy('x.id', 'desc')
    .limit(page.limit)
    .offset(page.offset) as unknown as PageIds;
}

/**
 * The article rows (with author profile, tags, and the viewer's `favorited`/`following`) for a
 * page of ids, in page order. `withBody` is false for lists: the spec's list items carry no body.
 * Tag names come as JSON, which the driver reads with JSON.parse, cheaper than its text[] parser.
 */
export function articleCards(db: Db, viewerId: string | null, withBody: boolean) {
  return db
    .selectFrom('blog_articles as a')
    .innerJoin('user_profiles as u', 'u.id', 'a.author_id')
    .select([
      'a.id',
      'a.slug',
      'a.title',
      'a.description',
      'a.favorites_count',
      'a.created_at',
      'a.updated_at',
      'u.username as author_username',
      'u.bio as author_bio',
      'u.image as author_image',
    ])
    .select(sql<string[]>`array_to_json(a.tag_list)`.as('tag_list'))
    .select(withBody ? sql<string>`a.body`.as('body') : sql<null>`null`.as('body'))
    .select([hasFavorited(db, viewerId, sql.ref('a.id')), isFollowing(db, viewerId, sql.ref('a.author_id'))]);
}

/**
 * Whether the viewer favorited / follows, as one primary-key probe per result row. Written as a
 * scalar subquery, not EXISTS: PostgreSQL may turn an EXISTS into a hash of every row the viewer
 * has, and a cached generic plan (which assumes an average viewer) does, so a page would read all
 * of a heavy user's favorites or follows. A viewer of null is anonymous: false.
 */
function viewerProbe<N extends string>(
  name: N,
  viewerId: string | null,
  // biome-ignore lint/suspicious/noExplicitAny: any query narrowed to one row by primary key.
  probe: (viewerId: string) => SelectQueryBuilder<Database, any, object>,
) {
  if (viewerId === null) return sql<boolean>`false`.as(name);
  return sql<boolean>`coalesce((${probe(viewerId).select(sql.lit(true).as('yes'))}), false)`.as(name);
}

function hasFavorited(db: Db, viewerId: string | null, articleId: RawBuilder<number>) {
  return viewerProbe('favorited', viewerId, (viewer) =>
    db.selectFrom('blog_favorites as f').where('f.user_id', '=', viewer).where('f.article_id', '=', articleId),
  );
}

function isFollowing(db: Db, viewerId: string | null, authorId: RawBuilder<string>) {
  return viewerProbe('following', viewerId, (viewer) =>
    db.selectFrom('blog_follows as fo').where('fo.follower_id', '=', viewer).where('fo.followee_id', '=', authorId),
  );
}

export type Count = SelectQueryBuilder<Database, never, { count: number }>;

/**
 * A page of article cards for page ids from `listPageIds` or `feedPageIds`, newest first, each
 * row carrying the list's `total` from `count` (`articlesCount` or `feedCount`).
 */
function articlePage(db: Db, viewerId: string | null, pageIds: PageIds, count: Count) {
  return articleCards(db, viewerId, false)
    .select(sql<number>`(${count})`.as('total'))
    .innerJoin(pageIds.as('p'), 'p.id', 'a.id')
    .orderBy('a.created_at', 'desc')
    .orderBy('a.id', 'desc');
}

/** GET /articles: the page of cards matching the filters, each row carrying `articlesCount`. */
export function listPage(db: Db, viewerId: string | null, filters: ArticleFilters, page: Page) {
  return articlePage(db, viewerId, listPageIds(db, filters, page), articlesCount(db, filters));
}

/** GET /articles/feed: the page of cards from followed authors, each row carrying the feed's count. */
export function feedPage(db: Db, viewerId: string, page: Page) {
  return articlePage(db, viewerId, feedPageIds(db, viewerId, page), feedCount(db, viewerId));
}

export type ArticlePageRow = InferResult<ReturnType<typeof listPage>>[number];

/**
 * `articlesCount` for GET /articles. A single filter (or none) reads its exact counter; a
 * combination counts its matches off the driving index, capped at COUNT_CAP.
 */
export function articlesCount(db: Db, filters: ArticleFilters): Count {
  const given = [filters.tag, filters.author, filters.favorited].filter((value) => value !== undefined).length;
  if (given === 0) {
    return db.selectFrom('blog_stats').select(sql<number>`articles_count`.as('count')) as unknown as Count;
  }
  if (given === 1 && filters.tag !== undefined) {
    return counterOrZero(db, db.selectFrom('blog_tags').select('articles_count').where('name', '=', filters.tag));
  }
  if (given === 1) {
    const column = filters.author !== undefined ? 'articles_count' : 'favorites_count';
    const username = (filters.author ?? filters.favorited) as string;
    return counterOrZero(
      db,
      db.selectFrom('blog_user_stats').select(column).where('user_id', '=', userIdByName(db, username)),
    );
  }
  return db
    .selectFrom(matchingIds(db, filters).clearOrderBy().limit(COUNT_CAP).as('m'))
    .select(sql<number>`count(*)`.as('count')) as unknown as Count;
}

// biome-ignore lint/suspicious/noExplicitAny: any one-column counter subquery.
function counterOrZero(db: Db, counter: SelectQueryBuilder<Database, any, any>): Count {
  return db.selectNoFrom(sql<number>`coalesce((${counter}), 0)`.as('count')) as unknown as Count;
}

/** `articlesCount` of the feed: the followed authors' exact article counters, summed. */
export function feedCount(db: Db, viewerId: string): Count {
  return db
    .selectFrom('blog_follows as f')
    .innerJoin('blog_user_stats as s', 's.user_id', 'f.followee_id')
    .select(sql<number>`coalesce(sum(s.articles_count), 0)`.as('count'))
    .where('f.follower_id', '=', viewerId) as unknown as Count;
}

/** GET /articles/:slug/comments: every comment of an article, oldest first, with its author. */
export function commentsOf(db: Db, articleId: number, viewerId: string | null) {
  return db
    .selectFrom('blog_comments as c')
    .innerJoin('user_profiles as u', 'u.id', 'c.author_id')
    .select([
      'c.id',
      'c.body',
      'c.created_at',
      'c.updated_at',
      'u.username as author_username',
      'u.bio as author_bio',
      'u.image as author_image',
    ])
    .select(isFollowing(db, viewerId, sql.ref('c.author_id')))
    .where('c.article_id', '=', articleId)
    .orderBy('c.id', 'asc');
}

/** GET /tags: the most used tags. */
export const TAGS_LIMIT = 100;
export function popularTags(db: Db) {
  return db
    .selectFrom('blog_tags')
    .select('name')
    .where('articles_count', '>', 0)
    .orderBy('articles_count', 'desc')
    .orderBy('name', 'asc')
    .limit(TAGS_LIMIT);
}

import { type CompiledQuery, sql } from 'kysely';
import type { Db, Trx } from '../../db/database.ts';
import { isUniqueViolation, unlessParentGone } from '../../db/errors.ts';
import { queryTemplate } from '../../db/query-template.ts';
import {
  type ArticleFilters,
  type ArticlePageRow,
  articleCards,
  articlesCount,
  type Count,
  commentsOf,
  feedCount,
  feedPage,
  listPage,
  type Page,
  popularTags,
} from './article-queries.ts';
import type { ArticleRow, CommentRow } from './mappers.ts';

/**
 * The blog's SQL. Reads are built in `article-queries.ts` (shared with the EXPLAIN test); writes are here.
 * Counters (favorites, articles per author/tag/total) are kept by triggers, in the same
 * transaction as these writes: nothing here touches them.
 */

export type SlugResult = { id: number; created_at: Date } | 'slug-taken';

// ---- article reads -----------------------------------------------------------------------------

// The hottest reads: built once per shape, then only given new values (db/query-template.ts).
const listPageQuery = queryTemplate(listPage);
const feedPageQuery = queryTemplate(feedPage);
const articleBySlugQuery = queryTemplate((db: Db, viewerId: string | null, slug: string) =>
  articleCards(db, viewerId, true).where('a.slug', '=', slug),
);

export function listArticles(db: Db, viewerId: string | null, filters: ArticleFilters, page: Page) {
  return pageWithCount(db, listPageQuery(db, viewerId, filters, page), () => articlesCount(db, filters));
}

export function feed(db: Db, viewerId: string, page: Page) {
  return pageWithCount(db, feedPageQuery(db, viewerId, page), () => feedCount(db, viewerId));
}

/**
 * Runs a page query whose rows carry the list's total: one round trip. A page past the end has no
 * row to carry it; only then is the count asked for on its own.
 */
async function pageWithCount(
  db: Db,
  page: CompiledQuery<ArticlePageRow>,
  count: () => Count,
): Promise<{ rows: ArticleRow[]; count: number }> {
  const { rows } = await db.executeQuery(page);
  const total = rows.length ? rows[0]?.total : (await count().executeTakeFirst())?.count;
  return { rows, count: Number(total ?? 0) };
}

export async function findArticleView(
  db: Db,
  viewerId: string | null,
  by: { slug: string } | { id: number },
): Promise<ArticleRow | undefined> {
  if ('slug' in by) return (await db.executeQuery(articleBySlugQuery(db, viewerId, by.slug))).rows[0];
  return articleCards(db, viewerId, true).where('a.id', '=', by.id).executeTakeFirst();
}

export interface ArticleRef {
  id: number;
  author_id: string;
  title: string;
  slug: string;
  created_at: Date;
}

/** The article behind a slug; `lock` takes a row lock for an update or delete in `db`'s transaction. */
export function findArticleRef(db: Db | Trx, slug: string, lock = false): Promise<ArticleRef | undefined> {
  const query = db
    .selectFrom('blog_articles')
    .select(['id', 'author_id', 'title', 'slug', 'created_at'])
    .where('slug', '=', slug);
  return (lock ? query.forUpdate() : query).executeTakeFirst();
}

export async function slugExists(db: Db | Trx, slug: string): Promise<boolean> {
  return (await db.selectFrom('blog_articles').select('id').where('slug', '=', slug).executeTakeFirst()) !== undefined;
}

// ---- article writes ----------------------------------------------------------------------------

/** Inserts an article under `slug`, or reports the slug taken (without aborting the transaction). */
export async function insertArticle(
  trx: Trx,
  article: { slug: string; authorId: string; title: string; description: string; body: string },
): Promise<SlugResult> {
  const row = await trx
    .insertInto('blog_articles')
    .values({
      slug: article.slug,
      author_id: article.authorId,
      title: article.title,
      description: article.description,
      body: article.body,
    })
    .onConflict((oc) => oc.column('slug').doNothing())
    .returning(['id', 'created_at'])
    .executeTakeFirst();
  return row ?? 'slug-taken';
}

export async function updateArticle(
  trx: Trx,
  id: number,
  changes: { slug?: string; title?: string; description?: string; body?: string },
): Promise<'ok' | 'slug-taken'> {
  try {
    await trx
      .updateTable('blog_articles')
      .set({ ...changes, updated_at: new Date() })
      .where('id', '=', id)
      .execute();
    return 'ok';
  } catch (error) {
    if (isUniqueViolation(error, 'blog_articles_slug_key')) return 'slug-taken';
    throw error;
  }
}

/** Makes the article's tags exactly `names` (creating tags that don't exist yet). */
export async function setArticleTags(
  trx: Trx,
  article: { id: number; created_at: Date },
  names: string[],
  replace: boolean,
): Promise<void> {
  // The names the article's reads show, in tag-name order (the database's, as before).
  await trx
    .updateTable('blog_articles')
    .set({ tag_list: sql<string[]>`array(select distinct n from unnest(${sql.val(names)}::text[]) as n order by n)` })
    .where('id', '=', article.id)
    .execute();
  if (replace) {
    let removal = trx.deleteFrom('blog_article_tags').where('article_id', '=', article.id);
    if (names.length > 0) {
      removal = removal.where('tag_id', 'not in', trx.selectFrom('blog_tags').select('id').where('name', 'in', names));
    }
    await removal.execute();
  }
  if (names.length === 0) return;
  // Sorted, so concurrent writers take the tag rows' locks in one order.
  const sorted = [...names].sort();
  await trx
    .insertInto('blog_tags')
    .values(sorted.map((name) => ({ name })))
    .onConflict((oc) => oc.column('name').doNothing())
    .execute();
  await trx
    .insertInto('blog_article_tags')
    .columns(['article_id', 'tag_id', 'article_created_at'])
    .expression(
      trx
        .selectFrom('blog_tags')
        .select([
          sql<number>`${article.id}::bigint`.as('article_id'),
          'id',
          sql<Date>`${article.created_at}::timestamptz`.as('created'),
        ])
        .where('name', 'in', sorted)
        .orderBy('id'),
    )
    .onConflict((oc) => oc.columns(['article_id', 'tag_id']).doNothing())
    .execute();
}

export async function deleteArticle(db: Db | Trx, id: number): Promise<void> {
  await db.deleteFrom('blog_articles').where('id', '=', id).execute();
}

/** Idempotent: favoriting twice is one favorite, counted once. */
export function favorite(db: Db, userId: string, article: { id: number; created_at: Date }): Promise<'ok' | 'gone'> {
  return unlessParentGone(
    db
      .insertInto('blog_favorites')
      .values({ user_id: userId, article_id: article.id, article_created_at: article.created_at })
      .onConflict((oc) => oc.columns(['user_id', 'article_id']).doNothing())
      .execute(),
  );
}

export async function unfavorite(db: Db, userId: string, articleId: number): Promise<void> {
  await db.deleteFrom('blog_favorites').where('user_id', '=', userId).where('article_id', '=', articleId).execute();
}

// ---- comments and tags -------------------------------------------------------------------------

export function listComments(db: Db, articleId: number, viewerId: string | null): Promise<CommentRow[]> {
  return commentsOf(db, articleId, viewerId).execute();
}

/** The new comment as its author sees it; undefined when the article vanished meanwhile. */
export async function insertComment(
  db: Db,
  comment: { articleId: number; authorId: string; body: string },
): Promise<CommentRow | undefined> {
  let id: number | undefined;
  const outcome = await unlessParentGone(
    db
      .insertInto('blog_comments')
      .values({ article_id: comment.articleId, author_id: comment.authorId, body: comment.body })
      .returning('id')
      .executeTakeFirstOrThrow()
      .then((row) => {
        id = row.id;
      }),
  );
  if (outcome === 'gone' || id === undefined) return undefined;
  return commentsOf(db, comment.articleId, comment.authorId).where('c.id', '=', id).executeTakeFirst();
}

export function findComment(db: Db, articleId: number, id: number) {
  return db
    .selectFrom('blog_comments')
    .select(['id', 'author_id'])
    .where((eb) => eb.and({ id, article_id: articleId }))
    .executeTakeFirst();
}

export async function deleteComment(db: Db, id: number): Promise<void> {
  await db.deleteFrom('blog_comments').where('id', '=', id).execute();
}

export async function listTags(db: Db): Promise<string[]> {
  return (await popularTags(db).execute()).map((row) => row.name);
}

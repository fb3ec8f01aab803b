import { unprocessable } from '../../core/errors.ts';
import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transactions.ts';
import type { ArticleFilters, Page } from './article-queries.ts';
import * as repo from './article-repository.ts';
import { articleForbidden, articleNotFound, articleSlugTaken, commentForbidden, commentNotFound } from './errors.ts';
import { toArticle, toArticleListItem, toComment } from './mappers.ts';
import type { NewArticle, UpdateArticle } from './schemas.ts';
import { baseSlug, slugFits, withSuffix } from './slug.ts';

/**
 * The blog's rules. Error codes here are mapped to RealWorld's error body by the blog's error
 * handler (`errors.ts`): the resource or field named there is what a RealWorld client sees.
 */

const SLUG_ATTEMPTS = 5;

// ---- articles ----------------------------------------------------------------------------------

export async function listArticles(db: Db, viewerId: string | null, filters: ArticleFilters, page: Page) {
  const { rows, count } = await repo.listArticles(db, viewerId, filters, page);
  return { articles: rows.map(toArticleListItem), articlesCount: count };
}

export async function feed(db: Db, viewerId: string, page: Page) {
  const { rows, count } = await repo.feed(db, viewerId, page);
  return { articles: rows.map(toArticleListItem), articlesCount: count };
}

export async function getArticle(db: Db, viewerId: string | null, slug: string) {
  const row = await repo.findArticleView(db, viewerId, { slug });
  if (!row) throw articleNotFound();
  return toArticle(row);
}

/** The article as `viewerId` sees it after a write; gone only if deleted in between. */
async function articleById(db: Db, viewerId: string, id: number) {
  const row = await repo.findArticleView(db, viewerId, { id });
  if (!row) throw articleNotFound();
  return toArticle(row);
}

/** Rejects a blank value (RealWorld's "can't be blank"); returns it trimmed. */
function cleanText(field: string, value: string): string {
  const trimmed = value.trim();
  if (!trimmed) throw unprocessable([{ field, message: "can't be blank" }]);
  return trimmed;
}

/** Markdown is kept exactly as written (trailing newlines and all); only a blank one is refused. */
function markdown(field: string, value: string): string {
  cleanText(field, value);
  return value;
}

/** Trims tags, refuses blank ones, drops duplicates. */
function cleanTags(tags: string[]): string[] {
  const cleaned = tags.map((tag) => tag.trim());
  if (cleaned.some((tag) => !tag)) throw unprocessable([{ field: 'tagList', message: "can't contain blank tags" }]);
  return [...new Set(cleaned)];
}

export async function createArticle(db: Db, authorId: string, input: NewArticle) {
  const title = cleanText('title', input.title);
  const description = cleanText('description', input.description);
  const body = markdown('body', input.body);
  const tags = cleanTags(input.tagList ?? []);
  const base = baseSlug(title);

  const id = await inTransaction(db, async (trx) => {
    for (let attempt = 0; attempt < SLUG_ATTEMPTS; attempt++) {
      const slug = attempt === 0 ? base : withSuffix(base);
      const inserted = await repo.insertArticle(trx, { slug, authorId, title, description, body });
      if (inserted === 'slug-taken') continue;
      await repo.setArticleTags(trx, inserted, tags, false);
      return inserted.id;
    }
    throw articleSlugTaken('Could not find a free slug for this title');
  });
  return articleById(db, authorId, id);
}

export async function updateArticle(db: Db, userId: string, slug: string, input: UpdateArticle) {
  const id = await db.transaction().execute(async (trx) => {
    const article = await repo.findArticleRef(trx, slug, true);
    if (!article) throw articleNotFound();
    if (article.author_id !== userId) throw articleForbidden('change');

    const changes: { slug?: string; title?: string; description?: string; body?: string } = {};
    if (input.title !== undefined) changes.title = cleanText('title', input.title);
    if (input.description !== undefined) changes.description = cleanText('description', input.description);
    if (input.body !== undefined) changes.body = markdown('body', input.body);
    // The slug follows the title: kept while the title still slugs to it, rewritten when not.
    if (changes.title !== undefined && !slugFits(article.slug, baseSlug(changes.title))) {
      const base = baseSlug(changes.title);
      changes.slug = (await repo.slugExists(trx, base)) ? withSuffix(base) : base;
    }
    if ((await repo.updateArticle(trx, article.id, changes)) === 'slug-taken') {
      throw articleSlugTaken('Another article took this slug at the same moment; retry');
    }
    if (input.tagList !== undefined) await repo.setArticleTags(trx, article, cleanTags(input.tagList), true);
    return article.id;
  });
  return articleById(db, userId, id);
}

export async function deleteArticle(db: Db, userId: string, slug: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const article = await repo.findArticleRef(trx, slug, true);
    if (!article) throw articleNotFound();
    if (article.author_id !== userId) throw articleForbidden('delete');
    await repo.deleteArticle(trx, article.id);
  });
}

export async function setFavorite(db: Db, userId: string, slug: string, favorited: boolean) {
  const article = await repo.findArticleRef(db, slug);
  if (!article) throw articleNotFound();
  if (favorited) {
    if ((await repo.favorite(db, userId, article)) === 'gone') throw articleNotFound();
  } else await repo.unfavorite(db, userId, article.id);
  return articleById(db, userId, article.id);
}

// ---- comments and tags -------------------------------------------------------------------------

export async function listComments(db: Db, viewerId: string | null, slug: string) {
  const article = await repo.findArticleRef(db, slug);
  if (!article) throw articleNotFound();
  return (await repo.listComments(db, article.id, viewerId)).map(toComment);
}

export async function addComment(db: Db, userId: string, slug: string, body: string) {
  const text = markdown('body', body);
  const article = await repo.findArticleRef(db, slug);
  if (!article) throw articleNotFound();
  const comment = await repo.insertComment(db, { articleId: article.id, authorId: userId, body: text });
  if (!comment) throw articleNotFound();
  return toComment(comment);
}

export async function deleteComment(db: Db, userId: string, slug: string, id: number): Promise<void> {
  const article = await repo.findArticleRef(db, slug);
  if (!article) throw articleNotFound();
  const comment = await repo.findComment(db, article.id, id);
  if (!comment) throw commentNotFound();
  if (comment.author_id !== userId) throw commentForbidden();
  await repo.deleteComment(db, id);
}

export function listTags(db: Db): Promise<string[]> {
  return repo.listTags(db);
}

import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { sql } from 'kysely';
import type { Db } from '../../../src/db/database.ts';
import { describePlan, indexesUsed, type PlanNode, planOf, seqScansOn } from '../../../src/db/query-plans.ts';
import {
  articlesCount,
  commentsOf,
  feedCount,
  feedPage,
  listPage,
  popularTags,
} from '../../../src/modules/blog/article-queries.ts';
import { buildTestApp } from '../../helpers/app.ts';

/**
 * The list queries the routes run, EXPLAINed on a seeded table: every one must reach the big
 * tables through an index, never a sequential scan. 1M rows are the benchmark's job; a few tens
 * of thousands are enough for the planner to show its hand, and stay quick.
 */
const ARTICLES = 30_000;
const USERS = 1000;
const BIG_TABLES = ['blog_articles', 'blog_article_tags', 'blog_favorites', 'blog_comments', 'blog_follows'];

function assertIndexed(plan: PlanNode[], expectedIndexes: string[], t?: { diagnostic(message: string): void }) {
  t?.diagnostic(describePlan(plan));
  assert.deepEqual(seqScansOn(plan, BIG_TABLES), [], `sequential scans on big tables: ${describePlan(plan)}`);
  const used = indexesUsed(plan);
  for (const index of expectedIndexes) assert.ok(used.has(index), `expected ${index} in ${[...used].join(', ')}`);
}

const app = await buildTestApp();
const db: Db = app.db;

describe('blog queries at scale (EXPLAIN)', () => {
  let viewer: string;
  let articleId: number;

  before(async () => {
    await sql`
      insert into users (email, username)
      select 'seed' || g || '@example.test', 'seed' || g from generate_series(1, ${USERS}) g`.execute(db);
    await sql`
      insert into blog_articles (slug, author_id, title, description, body, created_at, updated_at)
      select 'seed-' || g, u.ids[1 + g % ${USERS}], 'Seed ' || g, 'About ' || g, 'Body ' || g,
             now() - make_interval(secs => g), now() - make_interval(secs => g)
      from generate_series(1, ${ARTICLES}) g,
           (select array_agg(id order by username) as ids from users where username like 'seed%') u`.execute(db);
    await sql`insert into blog_tags (name) select 'tag' || g from generate_series(1, 50) g`.execute(db);
    await sql`
      insert into blog_article_tags (article_id, tag_id, article_created_at)
      select a.id, t.id, a.created_at from blog_articles a
      join blog_tags t on t.name in ('tag' || (1 + a.id % 50), 'tag' || (1 + (a.id * 7) % 50))`.execute(db);
    await sql`
      insert into blog_favorites (user_id, article_id, article_created_at)
      select u.id, a.id, a.created_at from blog_articles a
      join users u on u.username = 'seed' || (1 + (a.id * 13) % ${USERS})
      where a.id % 2 = 0`.execute(db);
    await sql`
      insert into blog_follows (follower_id, followee_id)
      select v.id, u.id from users v, users u
      where v.username like 'seed%' and u.username like 'seed%' and v.id <> u.id
        and (hashtext(v.username || u.username) % 40 = 0 or (v.username = 'seed1' and u.username < 'seed3'))`.execute(
      db,
    );
    await sql`
      insert into blog_comments (article_id, author_id, body)
      select a.id, a.author_id, 'Comment ' || g from blog_articles a, generate_series(1, 2) g`.execute(db);
    await sql`analyze`.execute(db);
    viewer = (
      await db.selectFrom('user_profiles').select('id').where('username', '=', 'seed1').executeTakeFirstOrThrow()
    ).id;
    articleId = (
      await db.selectFrom('blog_articles').select('id').where('slug', '=', 'seed-777').executeTakeFirstOrThrow()
    ).id;
  });

  const page = { limit: 20, offset: 40 };

  test('the counters agree with the seeded rows', async () => {
    const total = await articlesCount(db, {}).executeTakeFirstOrThrow();
    assert.equal(total.count, ARTICLES);
    const byTag = await articlesCount(db, { tag: 'tag1' }).executeTakeFirstOrThrow();
    const tagRows = await sql<{ n: number }>`
      select count(*)::int as n from blog_article_tags where tag_id = (select id from blog_tags where name = 'tag1')`.execute(
      db,
    );
    assert.equal(byTag.count, tagRows.rows[0]?.n);
    const byAuthor = await articlesCount(db, { author: 'seed2' }).executeTakeFirstOrThrow();
    assert.equal(byAuthor.count, ARTICLES / USERS);
  });

  test('global list: newest first off blog_articles_recent_idx', async (t) => {
    assertIndexed(await planOf(listPage(db, viewer, {}, page)), ['blog_articles_recent_idx'], t);
    assertIndexed(await planOf(articlesCount(db, {})), [], t);
  });

  test("the viewer's favorited and following: a primary-key probe per row, never all of the viewer's rows", async (t) => {
    // Read through the viewer's own indexes, these would cost as much as the viewer has favorites
    // and follows; a page must cost the same for a new user and for a heavy one.
    const plan = await planOf(listPage(db, viewer, {}, page));
    assertIndexed(plan, ['blog_follows_pkey'], t);
    assert.ok(!indexesUsed(plan).has('blog_favorites_user_recent_idx'), describePlan(plan));
  });

  test('by tag: off blog_article_tags_tag_recent_idx', async (t) => {
    const filters = { tag: 'tag7' };
    assertIndexed(await planOf(listPage(db, viewer, filters, page)), ['blog_article_tags_tag_recent_idx'], t);
    assertIndexed(await planOf(articlesCount(db, filters)), [], t);
  });

  test('by author: off blog_articles_author_recent_idx', async (t) => {
    const filters = { author: 'seed5' };
    assertIndexed(await planOf(listPage(db, viewer, filters, page)), ['blog_articles_author_recent_idx'], t);
    assertIndexed(await planOf(articlesCount(db, filters)), [], t);
  });

  test('favorited by: off blog_favorites_user_recent_idx', async (t) => {
    const filters = { favorited: 'seed9' };
    assertIndexed(await planOf(listPage(db, viewer, filters, page)), ['blog_favorites_user_recent_idx'], t);
    assertIndexed(await planOf(articlesCount(db, filters)), [], t);
  });

  test('combined filters: index-driven, capped count', async (t) => {
    const filters = { tag: 'tag3', author: 'seed4', favorited: 'seed9' };
    // The planner may start from whichever filter is most selective; any of them is an index.
    assertIndexed(await planOf(listPage(db, viewer, filters, page)), [], t);
    assertIndexed(await planOf(articlesCount(db, filters)), [], t);
  });

  test('feed: one index range per followed author', async (t) => {
    assertIndexed(await planOf(feedPage(db, viewer, page)), ['blog_articles_author_recent_idx'], t);
    assertIndexed(await planOf(feedCount(db, viewer)), [], t);
  });

  test('comments of an article: off blog_comments_article_idx', async (t) => {
    assertIndexed(await planOf(commentsOf(db, articleId, viewer)), ['blog_comments_article_idx'], t);
  });

  test('tags: off blog_tags_popular_idx', async () => {
    // 50 tags fit in a page, so the planner may rightly read them directly; only check the shape.
    const plan = await planOf(popularTags(db));
    assert.ok(plan.some((n) => n['Relation Name'] === 'blog_tags'));
  });
});

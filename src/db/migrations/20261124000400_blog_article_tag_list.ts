import { type Kysely, sql } from 'kysely';

/**
 * Every article read carries its tag names. Looking them up per row (an aggregate over
 * blog_article_tags joined to blog_tags) made a page's cost grow with its rows; the names are now
 * kept on the article, written with its tags, in tag-name order. blog_article_tags stays the
 * source for filtering by tag and for the tag counters.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and typed against no schema.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table blog_articles add column tag_list text[] not null default '{}'`.execute(db);
  await sql`
    update blog_articles a set tag_list = t.names
    from (
      select at.article_id, array_agg(t.name order by t.name) as names
      from blog_article_tags at join blog_tags t on t.id = at.tag_id
      group by at.article_id
    ) t
    where a.id = t.article_id`.execute(db);
}

// biome-ignore lint/suspicious/noExplicitAny: see up().
export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table blog_articles drop column tag_list`.execute(db);
}

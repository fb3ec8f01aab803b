import type { ColumnType, Generated } from 'kysely';
import type { CreatedAt, ReadOnly, UpdatedAt } from '../../db/column-types.ts';

/** The blog's tables as Kysely sees them (see migration `20261124000200_blog.ts`). */

type Counter = ReadOnly<number>;

export interface BlogArticlesTable {
  id: ReadOnly<number>;
  slug: string;
  author_id: ColumnType<string, string, never>;
  title: string;
  description: string;
  body: string;
  /** Maintained by triggers on blog_favorites. */
  favorites_count: Counter;
  /** The article's tag names in name order, written with its tags (see setArticleTags). */
  tag_list: ColumnType<string[], string[] | undefined, string[]>;
  created_at: CreatedAt;
  updated_at: UpdatedAt;
}

export interface BlogTagsTable {
  id: ReadOnly<number>;
  name: string;
  /** Maintained by triggers on blog_article_tags. */
  articles_count: Counter;
}

export interface BlogArticleTagsTable {
  article_id: number;
  tag_id: number;
  article_created_at: ColumnType<Date, Date | string, never>;
}

export interface BlogFavoritesTable {
  user_id: string;
  article_id: number;
  article_created_at: ColumnType<Date, Date | string, never>;
  created_at: CreatedAt;
}

export interface BlogFollowsTable {
  follower_id: string;
  followee_id: string;
  created_at: CreatedAt;
}

export interface BlogCommentsTable {
  id: Generated<number>;
  article_id: number;
  author_id: string;
  body: string;
  created_at: CreatedAt;
  updated_at: CreatedAt;
}

export interface BlogUserStatsTable {
  user_id: ReadOnly<string>;
  articles_count: Counter;
  favorites_count: Counter;
}

export interface BlogStatsTable {
  id: ReadOnly<boolean>;
  articles_count: Counter;
}

export interface BlogTables {
  blog_articles: BlogArticlesTable;
  blog_tags: BlogTagsTable;
  blog_article_tags: BlogArticleTagsTable;
  blog_favorites: BlogFavoritesTable;
  blog_follows: BlogFollowsTable;
  blog_comments: BlogCommentsTable;
  blog_user_stats: BlogUserStatsTable;
  blog_stats: BlogStatsTable;
}

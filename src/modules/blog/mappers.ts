import type { Account } from '../auth/index.ts';
import type { ArticleListItemView, ArticleView, CommentView } from './schemas.ts';

/** Rows → RealWorld API objects, in one place. */

interface AuthorColumns {
  author_username: string;
  author_bio: string | null;
  author_image: string | null;
  following: boolean;
}

export interface ArticleRow extends AuthorColumns {
  id: number;
  slug: string;
  title: string;
  description: string;
  body: string | null;
  favorites_count: number;
  created_at: Date;
  updated_at: Date;
  tag_list: string[];
  favorited: boolean;
}

export interface CommentRow extends AuthorColumns {
  id: number;
  body: string;
  created_at: Date;
  updated_at: Date;
}

export interface ProfileRow {
  username: string;
  bio: string | null;
  image: string | null;
}

export function toProfile(row: ProfileRow, following: boolean) {
  return { username: row.username, bio: row.bio, image: row.image, following };
}

function authorOf(row: AuthorColumns) {
  return toProfile({ username: row.author_username, bio: row.author_bio, image: row.author_image }, row.following);
}

export function toArticleListItem(row: ArticleRow): ArticleListItemView {
  return {
    slug: row.slug,
    title: row.title,
    description: row.description,
    tagList: row.tag_list,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    favorited: row.favorited,
    favoritesCount: row.favorites_count,
    author: authorOf(row),
  };
}

export function toArticle(row: ArticleRow): ArticleView {
  return { ...toArticleListItem(row), body: row.body ?? '' };
}

export function toComment(row: CommentRow): CommentView {
  return {
    id: row.id,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
    body: row.body,
    author: authorOf(row),
  };
}

export function toUser(row: Account, token: string) {
  return { email: row.email, token, username: row.username, bio: row.bio, image: row.image };
}

import { type Static, Type } from 'typebox';
import { Email, Password, Username } from '../auth/index.ts';
import * as examples from './examples.ts';

/**
 * The RealWorld ("Conduit") API shapes, as `shared/realworld/openapi.yml` defines them: wrapped
 * bodies (`{ "article": … }`), `null` for an unset bio or image, and its own error body.
 */

const NullableString = Type.Union([Type.String(), Type.Null()]);
const DateTime = Type.String({ format: 'date-time' });

/** `{"errors": {"title": ["can't be blank"]}}`: the key names the field or the resource. */
export const GenericError = Type.Object(
  { errors: Type.Record(Type.String(), Type.Array(Type.String())) },
  { description: 'RealWorld error body' },
);

/** The error statuses a route can answer, all with the RealWorld error body. */
export function errorResponses(...statuses: number[]) {
  return Object.fromEntries(statuses.map((status) => [status, GenericError]));
}

// ---- users -------------------------------------------------------------------------------------

export const User = Type.Object({
  email: Type.String(),
  token: Type.String({ description: 'Send as `Authorization: Token <token>` (or `Bearer <token>`)' }),
  username: Type.String(),
  bio: NullableString,
  image: NullableString,
});
export const UserResponse = Type.Object({ user: User }, { examples: [examples.user] });

export const NewUserRequest = Type.Object(
  {
    user: Type.Object({ username: Username, email: Email, password: Password }, { additionalProperties: false }),
  },
  { examples: [examples.registration] },
);

export const LoginUserRequest = Type.Object(
  {
    user: Type.Object(
      {
        email: Type.String({ minLength: 1, maxLength: 254 }),
        password: Type.String({ minLength: 1, maxLength: 1024 }),
      },
      { additionalProperties: false },
    ),
  },
  { examples: [examples.login] },
);

// null is listed first: with type coercion on, a string branch tried first would turn null into "".
const NullableText = (maxLength: number) => Type.Union([Type.Null(), Type.String({ maxLength })]);

export const UpdateUserRequest = Type.Object(
  {
    user: Type.Object(
      {
        email: Type.Optional(Email),
        password: Type.Optional(Password),
        username: Type.Optional(Username),
        bio: Type.Optional(NullableText(2000)),
        image: Type.Optional(NullableText(2000)),
      },
      { additionalProperties: false },
    ),
  },
  { examples: [examples.userChange] },
);
export type UpdateUser = Static<typeof UpdateUserRequest>['user'];

// ---- profiles ----------------------------------------------------------------------------------

export const Profile = Type.Object({
  username: Type.String(),
  bio: NullableString,
  image: NullableString,
  following: Type.Boolean(),
});
export const ProfileResponse = Type.Object({ profile: Profile }, { examples: [examples.profile] });
export const UsernameParams = Type.Object({ username: Type.String({ maxLength: 254 }) });

// ---- articles ----------------------------------------------------------------------------------

const articleFields = {
  slug: Type.String(),
  title: Type.String(),
  description: Type.String(),
  tagList: Type.Array(Type.String()),
  createdAt: DateTime,
  updatedAt: DateTime,
  favorited: Type.Boolean(),
  favoritesCount: Type.Integer(),
  author: Profile,
};
export const Article = Type.Object({ ...articleFields, body: Type.String({ description: 'Markdown, as written' }) });
/** A list item: the spec leaves `body` out of lists. */
export const ArticleListItem = Type.Object(articleFields);
export type ArticleView = Static<typeof Article>;
export type ArticleListItemView = Static<typeof ArticleListItem>;

export const SingleArticleResponse = Type.Object({ article: Article }, { examples: [examples.article] });
export const MultipleArticlesResponse = Type.Object(
  {
    articles: Type.Array(ArticleListItem),
    articlesCount: Type.Integer({
      description: 'Exact for no filter, one filter and the feed; for combined filters, capped at 10000',
    }),
  },
  { examples: [examples.articles] },
);

export const TITLE_MAX = 300;
export const DESCRIPTION_MAX = 1000;
export const BODY_MAX = 200_000;
export const TAG_MAX = 64;
export const TAGS_PER_ARTICLE_MAX = 20;

const Title = Type.String({ minLength: 1, maxLength: TITLE_MAX });
const Description = Type.String({ minLength: 1, maxLength: DESCRIPTION_MAX });
const Body = Type.String({ minLength: 1, maxLength: BODY_MAX, description: 'Markdown; stored and returned as given' });
const TagList = Type.Array(Type.String({ minLength: 1, maxLength: TAG_MAX }), {
  maxItems: TAGS_PER_ARTICLE_MAX,
  description: 'Duplicates are dropped; returned sorted',
});

export const NewArticleRequest = Type.Object(
  {
    article: Type.Object(
      { title: Title, description: Description, body: Body, tagList: Type.Optional(TagList) },
      { additionalProperties: false },
    ),
  },
  { examples: [examples.newArticle] },
);
export type NewArticle = Static<typeof NewArticleRequest>['article'];

export const UpdateArticleRequest = Type.Object(
  {
    article: Type.Object(
      {
        title: Type.Optional(Title),
        description: Type.Optional(Description),
        body: Type.Optional(Body),
        tagList: Type.Optional(TagList),
      },
      { additionalProperties: false },
    ),
  },
  { examples: [examples.articleChange] },
);
export type UpdateArticle = Static<typeof UpdateArticleRequest>['article'];

export const SlugParams = Type.Object({ slug: Type.String({ maxLength: 400 }) });

export const MAX_LIMIT = 100;
export const ArticlesQuery = Type.Object({
  tag: Type.Optional(Type.String({ maxLength: TAG_MAX })),
  author: Type.Optional(Type.String({ maxLength: 254 })),
  favorited: Type.Optional(Type.String({ maxLength: 254 })),
  limit: Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: 20 }),
  offset: Type.Integer({ minimum: 0, maximum: 10_000_000, default: 0 }),
});
export const FeedQuery = Type.Object({
  limit: ArticlesQuery.properties.limit,
  offset: ArticlesQuery.properties.offset,
});

// ---- comments ----------------------------------------------------------------------------------

export const Comment = Type.Object({
  id: Type.Integer(),
  createdAt: DateTime,
  updatedAt: DateTime,
  body: Type.String(),
  author: Profile,
});
export type CommentView = Static<typeof Comment>;
export const SingleCommentResponse = Type.Object({ comment: Comment }, { examples: [examples.singleComment] });
export const MultipleCommentsResponse = Type.Object(
  { comments: Type.Array(Comment) },
  { examples: [examples.comments] },
);

export const NewCommentRequest = Type.Object(
  {
    comment: Type.Object({ body: Type.String({ minLength: 1, maxLength: 20_000 }) }, { additionalProperties: false }),
  },
  { examples: [examples.newComment] },
);
export const CommentParams = Type.Object({
  slug: SlugParams.properties.slug,
  id: Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER }),
});

// ---- tags --------------------------------------------------------------------------------------

export const TagsResponse = Type.Object({ tags: Type.Array(Type.String()) }, { examples: [examples.tags] });

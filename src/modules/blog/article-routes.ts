import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { requestDb } from '../../core/idempotency.ts';
import { NoContent } from '../../core/schemas.ts';
import { authenticate, authenticateOptional, currentUser } from '../auth/index.ts';
import * as service from './article-service.ts';
import {
  ArticlesQuery,
  CommentParams,
  errorResponses,
  FeedQuery,
  MultipleArticlesResponse,
  MultipleCommentsResponse,
  NewArticleRequest,
  NewCommentRequest,
  SingleArticleResponse,
  SingleCommentResponse,
  SlugParams,
  TagsResponse,
  UpdateArticleRequest,
} from './schemas.ts';

const security = [{ bearerAuth: [] }];

/** RealWorld articles, favorites, comments and tags under /api. */
export const articleRoutes: FastifyPluginAsyncTypebox = async (app) => {
  const tags = ['blog'];
  const viewer = (request: { user: { id: string } | null }) => request.user?.id ?? null;

  app.get(
    '/articles',
    {
      onRequest: authenticateOptional,
      schema: {
        tags,
        summary: 'Recent articles, filtered by tag, author or favorited-by (auth optional)',
        querystring: ArticlesQuery,
        response: { 200: MultipleArticlesResponse, ...errorResponses(401, 422) },
      },
    },
    async (request) => {
      const { tag, author, favorited, limit, offset } = request.query;
      return service.listArticles(app.db, viewer(request), { tag, author, favorited }, { limit, offset });
    },
  );

  app.get(
    '/articles/feed',
    {
      onRequest: authenticate,
      schema: {
        tags,
        summary: 'Recent articles by followed users',
        security,
        querystring: FeedQuery,
        response: { 200: MultipleArticlesResponse, ...errorResponses(401, 422) },
      },
    },
    async (request) => service.feed(app.db, currentUser(request).id, request.query),
  );

  app.post(
    '/articles',
    {
      onRequest: authenticate,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Create an article (body is markdown, stored as given)',
        security,
        body: NewArticleRequest,
        response: { 201: SingleArticleResponse, ...errorResponses(401, 409, 422) },
      },
    },
    async (request, reply) =>
      reply.code(201).send({
        article: await service.createArticle(requestDb(request, app.db), currentUser(request).id, request.body.article),
      }),
  );

  app.get(
    '/articles/:slug',
    {
      onRequest: authenticateOptional,
      schema: {
        tags,
        summary: 'An article (auth optional)',
        params: SlugParams,
        response: { 200: SingleArticleResponse, ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => ({ article: await service.getArticle(app.db, viewer(request), request.params.slug) }),
  );

  app.put(
    '/articles/:slug',
    {
      onRequest: authenticate,
      schema: {
        tags,
        summary: "Update one's article; a new title gives a new slug",
        security,
        params: SlugParams,
        body: UpdateArticleRequest,
        response: { 200: SingleArticleResponse, ...errorResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request) => ({
      article: await service.updateArticle(app.db, currentUser(request).id, request.params.slug, request.body.article),
    }),
  );

  app.delete(
    '/articles/:slug',
    {
      onRequest: authenticate,
      schema: {
        tags,
        summary: "Delete one's article",
        security,
        params: SlugParams,
        response: { 204: NoContent, ...errorResponses(401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      await service.deleteArticle(app.db, currentUser(request).id, request.params.slug);
      return reply.code(204).send(null);
    },
  );

  for (const [method, favorited] of [
    ['POST', true],
    ['DELETE', false],
  ] as const) {
    app.route({
      method,
      url: '/articles/:slug/favorite',
      onRequest: authenticate,
      schema: {
        tags,
        summary: favorited ? 'Favorite an article (idempotent)' : 'Unfavorite an article (idempotent)',
        security,
        params: SlugParams,
        response: { 200: SingleArticleResponse, ...errorResponses(401, 404, 422) },
      },
      handler: async (request) => ({
        article: await service.setFavorite(app.db, currentUser(request).id, request.params.slug, favorited),
      }),
    });
  }

  app.get(
    '/articles/:slug/comments',
    {
      onRequest: authenticateOptional,
      schema: {
        tags,
        summary: "An article's comments, oldest first (auth optional)",
        params: SlugParams,
        response: { 200: MultipleCommentsResponse, ...errorResponses(401, 404, 422) },
      },
    },
    async (request) => ({ comments: await service.listComments(app.db, viewer(request), request.params.slug) }),
  );

  app.post(
    '/articles/:slug/comments',
    {
      onRequest: authenticate,
      config: { idempotent: true },
      schema: {
        tags,
        summary: 'Comment on an article',
        security,
        params: SlugParams,
        body: NewCommentRequest,
        response: { 201: SingleCommentResponse, ...errorResponses(401, 404, 409, 422) },
      },
    },
    async (request, reply) =>
      reply.code(201).send({
        comment: await service.addComment(
          requestDb(request, app.db),
          currentUser(request).id,
          request.params.slug,
          request.body.comment.body,
        ),
      }),
  );

  app.delete(
    '/articles/:slug/comments/:id',
    {
      onRequest: authenticate,
      schema: {
        tags,
        summary: "Delete one's comment",
        security,
        params: CommentParams,
        response: { 204: NoContent, ...errorResponses(401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      await service.deleteComment(app.db, currentUser(request).id, request.params.slug, request.params.id);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/tags',
    {
      schema: {
        tags,
        summary: 'The most used tags (up to 100)',
        response: { 200: TagsResponse, ...errorResponses(422) },
      },
    },
    async () => ({ tags: await service.listTags(app.db) }),
  );
};

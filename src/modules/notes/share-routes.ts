import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NoContent, problemResponses } from '../../core/schemas.ts';
import { currentUser } from '../auth/index.ts';
import { CreateShare, NewShare, NoteParams, SharedNote, ShareList, ShareParams, TokenParams } from './schemas.ts';
import * as service from './share-service.ts';

/** /api/notes/{id}/shares: a note's share links (owner only). */

const tags = { tags: ['notes'], security: [{ bearerAuth: [] }] };

export const shareRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/notes/:id/shares',
    {
      schema: {
        ...tags,
        summary: 'Make a share link (optionally expiring); the token is shown only now',
        params: NoteParams,
        body: CreateShare,
        response: { 201: NewShare, ...problemResponses(401, 404, 409, 422) },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send(await service.createShare(app.db, currentUser(request).id, request.params.id, request.body ?? {})),
  );

  app.get(
    '/notes/:id/shares',
    {
      schema: {
        ...tags,
        summary: "A note's share links that are not revoked (expired ones say so)",
        params: NoteParams,
        response: { 200: ShareList, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => service.listShares(app.db, currentUser(request).id, request.params.id),
  );

  app.delete(
    '/notes/:id/shares/:shareId',
    {
      schema: {
        ...tags,
        summary: 'Revoke a share link',
        params: ShareParams,
        response: { 204: NoContent, ...problemResponses(401, 404, 422) },
      },
    },
    async (request, reply) => {
      const { id, shareId } = request.params;
      await service.revokeShare(app.db, currentUser(request).id, id, shareId);
      return reply.code(204).send(null);
    },
  );
};

/** /api/shared/notes/{token}: reading a shared note, with no account. */
export const sharedRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/shared/notes/:token',
    {
      schema: {
        tags: ['notes'],
        summary: 'Read a shared note with its link (no account); 404 once expired or revoked',
        params: TokenParams,
        response: { 200: SharedNote, ...problemResponses(404, 422) },
      },
    },
    async (request, reply) => {
      // The token is the credential: keep the note out of shared caches and referrers.
      reply.header('cache-control', 'private, no-store').header('referrer-policy', 'no-referrer');
      return service.readShared(app.db, request.params.token);
    },
  );
};

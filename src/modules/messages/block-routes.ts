import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { NoContent, problemResponses } from '../../core/schemas.ts';
import { currentUser } from '../auth/index.ts';
import * as service from './block-service.ts';
import { BlockList, BlockParams } from './schemas.ts';

/** /api/blocks: people I have blocked. */

const tags = { tags: ['messages'], security: [{ bearerAuth: [] }] };

export const blockRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/blocks',
    { schema: { ...tags, summary: 'People I have blocked', response: { 200: BlockList, ...problemResponses(401) } } },
    async (request) => service.listBlocks(app.db, currentUser(request).id),
  );

  app.put(
    '/blocks/:userId',
    {
      schema: {
        ...tags,
        summary: 'Block someone: no direct messages between you, either way',
        params: BlockParams,
        response: { 204: NoContent, ...problemResponses(401, 404, 422) },
      },
    },
    async (request, reply) => {
      await service.block(app.db, currentUser(request).id, request.params.userId);
      return reply.code(204).send(null);
    },
  );

  app.delete(
    '/blocks/:userId',
    {
      schema: {
        ...tags,
        summary: 'Unblock someone',
        params: BlockParams,
        response: { 204: NoContent, ...problemResponses(401, 404, 422) },
      },
    },
    async (request, reply) => {
      await service.unblock(app.db, currentUser(request).id, request.params.userId);
      return reply.code(204).send(null);
    },
  );
};

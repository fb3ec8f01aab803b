import type { FastifyPluginAsync } from 'fastify';
import { articleRoutes } from './article-routes.ts';
import { realWorldErrorHandler } from './errors.ts';
import { userRoutes } from './user-routes.ts';

/**
 * The blog: the RealWorld ("Conduit") API. Encapsulated (not fastify-plugin), so its error handler,
 * which answers in RealWorld's error shape, applies to its routes only. Register with prefix /api.
 */
export const blogModule: FastifyPluginAsync = async (app) => {
  app.setErrorHandler(realWorldErrorHandler);
  await app.register(userRoutes);
  await app.register(articleRoutes);
};

import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { apiDocsRoutes } from './api-docs.ts';

/**
 * The OpenAPI 3.1 document is generated from the route schemas (so it cannot drift from what the
 * routes validate) and served at `/openapi.json`, with an interactive reference at `/docs`.
 */
export const openapiPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Groundwork API',
          version: '0.1.0',
          description:
            'Auth, blog (RealWorld), tasks, notes, expenses and quiz. Errors are RFC 9457 `application/problem+json`.',
        },
        components: {
          securitySchemes: {
            bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
            // The browser session cookie (`__Host-gw_session` when Secure): docs/auth.md.
            cookieAuth: { type: 'apiKey', in: 'cookie', name: 'gw_session' },
          },
        },
      },
      // Shared schemas registered with addSchema appear under components/schemas by their $id.
      refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    });

    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

    await app.register(apiDocsRoutes);
  },
  { name: 'openapi' },
);

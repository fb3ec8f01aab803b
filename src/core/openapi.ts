import swagger from '@fastify/swagger';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { apiDocsRoutes } from './api-docs.ts';

// The part of the generated document `describe` reads and writes.
interface OpenApiDocument {
  info?: { title: string; version: string; description?: string };
  paths?: object;
}

/** The operational groups (health) are not a product module. */
const NOT_MODULES = new Set(['health']);

/**
 * The document's introduction, as `/docs` shows it first: the groups it really has (taken from
 * the operations, so it never names a module that does not exist), and how to make a first call.
 */
function describe<T extends OpenApiDocument>(document: T): T {
  const groups = new Set<string>();
  for (const item of Object.values(document.paths ?? {}) as Array<Record<string, { tags?: string[] }>>) {
    for (const operation of Object.values(item)) {
      for (const tag of operation.tags ?? []) if (!NOT_MODULES.has(tag)) groups.add(tag);
    }
  }
  const description = [
    `Groundwork's HTTP API: ${[...groups].join(', ')}.`,
    'To call it, create an account with `POST /api/auth/register`, log in with `POST /api/auth/login`, and send its ' +
      '`accessToken` as `Authorization: Bearer <token>` (set it under Authentication). The blog is the RealWorld ' +
      'API: its clients register with `POST /api/users` and send `Authorization: Token <token>`; an account made ' +
      'either way works in both.',
    'Errors are RFC 9457 `application/problem+json` with a stable `code` (and per-field `errors` on 422); the blog ' +
      'answers in RealWorld\'s `{"errors": {"<field>": ["<message>"]}}` shape instead. An empty body sent as ' +
      '`application/json` counts as no body.',
  ].join('\n\n');
  return { ...document, info: { title: '', version: '', ...document.info, description } };
}

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
          // Completed by `describe` with the groups the document really has.
          description: '',
        },
        // Relative: the reference's examples and "Test Request" use whatever origin the page was opened at.
        servers: [{ url: '/', description: 'This server' }],
        components: {
          securitySchemes: {
            bearerAuth: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' },
            // The browser session cookie (`__Host-gw_session` when Secure): docs/auth.md.
            cookieAuth: { type: 'apiKey', in: 'cookie', name: 'gw_session' },
            // A live quiz game's player (no account): the token joining returned (docs/quiz.md).
            playerToken: { type: 'apiKey', in: 'header', name: 'X-Player-Token' },
          },
        },
      },
      transformObject: (generated) =>
        'openapiObject' in generated ? describe(generated.openapiObject) : generated.swaggerObject,
      // Shared schemas registered with addSchema appear under components/schemas by their $id.
      refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
    });

    app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

    await app.register(apiDocsRoutes);
  },
  { name: 'openapi' },
);

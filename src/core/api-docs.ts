import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { securityHeaders } from './security-headers.ts';

// The reference page runs its own script and styles: it gets a relaxed CSP, the API keeps the
// strict one. Without `upgrade-insecure-requests`: opened over plain http anywhere but localhost
// (a LAN address, say), it would make the browser fetch the page's own script over https, which
// nothing answers, and leave the page blank. Behind an https proxy every URL is https already.
const DOCS_HEADERS = securityHeaders({
  contentSecurityPolicy: {
    directives: {
      defaultSrc: ["'self'"],
      scriptSrc: ["'self'", "'unsafe-inline'"],
      styleSrc: ["'self'", "'unsafe-inline'"],
      imgSrc: ["'self'", 'data:'],
      fontSrc: ["'self'", 'data:'],
      connectSrc: ["'self'"],
      upgradeInsecureRequests: null,
    },
  },
});

// Scalar's options (its configuration reference): the system's fonts rather than ones fetched from
// Scalar's servers, and none of its hosted services (AI agent, MCP, deploy and share tools), which
// would send our users to Scalar rather than help them call this API.
const REFERENCE_CONFIGURATION = {
  pageTitle: 'Groundwork API reference',
  withDefaultFonts: false,
  showDeveloperTools: 'never',
  agent: { disabled: true },
  mcp: { disabled: true },
} as const;

// What the reference's own answers say that the client needs; the rest (security headers,
// request id) comes from this app.
const PASSED_ON = ['content-type', 'content-disposition', 'location'] as const;

/**
 * The interactive API reference (Scalar) at `/docs`, for the OpenAPI document of `app`.
 *
 * Scalar's Fastify plugin carries its 4 MB browser bundle as a string in its own source, which
 * holds about 17 MB of heap in any process that imports it, and most instances never serve a
 * page of it. So it is imported on the first `/docs` request, into a Fastify instance of its own,
 * and these routes hand each `/docs` request to that instance.
 */
export async function apiDocsRoutes(app: FastifyInstance) {
  let reference: Promise<FastifyInstance> | undefined;
  const loadReference = async () => {
    const { default: apiReference } = await import('@scalar/fastify-api-reference');
    const docs = Fastify();
    await docs.register(apiReference, {
      routePrefix: '/docs',
      configuration: { ...REFERENCE_CONFIGURATION, content: () => app.swagger() },
    });
    await docs.ready();
    return docs;
  };
  app.addHook('onClose', async () => {
    if (reference) await (await reference).close();
  });

  const serve = async (request: FastifyRequest, reply: FastifyReply) => {
    reference ??= loadReference();
    const answer = await (await reference).inject({ method: 'GET', url: request.url });
    for (const name of PASSED_ON) {
      const value = answer.headers[name];
      if (value !== undefined) reply.header(name, value);
    }
    return reply.code(answer.statusCode).send(answer.rawPayload);
  };
  const options = { schema: { hide: true }, config: { securityHeaders: DOCS_HEADERS } };
  app.get('/docs', options, serve);
  app.get('/docs/*', options, serve);
}

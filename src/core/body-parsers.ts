import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * The request bodies our APIs take: JSON, and nothing else unless a route registers its own parser
 * (a multipart upload, say), so any other type is a 415 `UNSUPPORTED_MEDIA_TYPE` everywhere.
 *
 * Many HTTP clients (RealWorld frontends among them) send `Content-Type: application/json` on every
 * request, also on a POST or DELETE that has no body. An empty body is therefore read as no body
 * at all, exactly as if the header were absent: a route that takes none runs, and a route that
 * needs one answers its own validation error, rather than every such request failing on the
 * header. Non-empty JSON goes through Fastify's own parser (prototype-poisoning checks included).
 */
export const bodyParsersPlugin = fp(
  async (app: FastifyInstance) => {
    const parseJson = app.getDefaultJsonParser('error', 'error');
    // Fastify's default `text/plain` parser would hand a route expecting an object a string,
    // which then fails as "body must be object" (422) instead of naming the real problem.
    app.removeContentTypeParser(['application/json', 'text/plain']);
    app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body: string, done) => {
      if (body.length === 0) done(null, undefined);
      else parseJson(request, body, done);
    });
  },
  { name: 'body-parsers' },
);

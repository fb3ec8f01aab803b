import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import helmet, { type HelmetOptions } from 'helmet';

declare module 'fastify' {
  interface FastifyContextConfig {
    /** This route's security headers, from `securityHeaders(...)`, instead of the API's strict ones. */
    securityHeaders?: Readonly<Record<string, string>>;
  }
}

/**
 * Helmet's headers for `options`, computed once. Without per-request nonces (we use none) they
 * depend only on the options, so running helmet's middleware on every request (as
 * `@fastify/helmet` does, re-serializing the CSP each time) would redo the same work for the same
 * answer.
 */
export function securityHeaders(options?: Readonly<HelmetOptions>): Readonly<Record<string, string>> {
  const headers: Record<string, string> = {};
  const response = {
    setHeader: (name: string, value: unknown) => {
      headers[name.toLowerCase()] = String(value);
    },
    removeHeader: () => {},
  };
  helmet(options)({} as IncomingMessage, response as unknown as ServerResponse, (error?: unknown) => {
    if (error) throw error;
  });
  return Object.freeze(headers);
}

const API_HEADERS = securityHeaders();

/** Helmet's strict defaults on every response, unless the route brings its own `securityHeaders`. */
export const securityHeadersPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('onRequest', async (request, reply) => {
      reply.headers(request.routeOptions.config.securityHeaders ?? API_HEADERS);
    });
  },
  { name: 'security-headers' },
);

import { STATUS_CODES } from 'node:http';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { type ClassifiedError, classifyError } from './errors.ts';
import { PROBLEM_MEDIA_TYPE, Problem } from './schemas.ts';

/** Writes a classified error as an RFC 9457 problem. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: ClassifiedError) {
  if (problem.headers) reply.headers(problem.headers);
  return reply
    .code(problem.status)
    .type(PROBLEM_MEDIA_TYPE)
    .send({
      // Extensions first: the standard members below can never be overridden by them.
      ...problem.extensions,
      type: 'about:blank',
      title: STATUS_CODES[problem.status] ?? 'Error',
      status: problem.status,
      detail: problem.detail,
      instance: request.url.split('?')[0],
      code: problem.code,
      requestId: request.id,
      ...(problem.errors ? { errors: problem.errors } : {}),
    });
}

/** Logs an error at the level it deserves and returns what the client may see of it. */
export function classifyAndLog(error: unknown, request: FastifyRequest): ClassifiedError {
  const problem = classifyError(error);
  if (problem.unexpected) request.log.error({ err: error }, 'unhandled error');
  else if (problem.status >= 500) request.log.warn({ code: problem.code }, problem.detail);
  return problem;
}

/**
 * The one error handler of our own APIs: every thrown error and every unknown route becomes
 * `application/problem+json` with a stable `code` and the request id.
 */
export const problemHandler = fp(
  async (app: FastifyInstance) => {
    app.addSchema(Problem);

    app.setErrorHandler((error, request, reply) => {
      return sendProblem(request, reply, classifyAndLog(error, request));
    });

    app.setNotFoundHandler((request, reply) =>
      sendProblem(request, reply, {
        status: 404,
        code: 'ROUTE_NOT_FOUND',
        detail: `No route for ${request.method} ${request.url.split('?')[0]}`,
        unexpected: false,
      }),
    );
  },
  { name: 'problem-handler' },
);

import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { AppError, type ClassifiedError, conflict, type FieldError, forbidden, notFound } from '../../core/errors.ts';
import { classifyAndLog } from '../../core/problem-handler.ts';

/**
 * The blog answers errors in RealWorld's shape, `{"errors": {"<field or resource>": ["<message>"]}}`,
 * instead of problem+json. What an error *is* (status, code, per-field issues) is decided once,
 * by `classifyError` (through `classifyAndLog`, which also logs); this only words it the way
 * RealWorld clients and its test suite expect.
 */

export type RealWorldErrors = Record<string, string[]>;

// The blog's own codes, raised by its services.
export const articleNotFound = () => notFound('ARTICLE_NOT_FOUND', 'Article not found');
export const profileNotFound = () => notFound('PROFILE_NOT_FOUND', 'Profile not found');
export const commentNotFound = () => notFound('COMMENT_NOT_FOUND', 'Comment not found');
export const articleForbidden = (action: 'change' | 'delete') =>
  forbidden(`Only the author may ${action} this article`, 'ARTICLE_FORBIDDEN');
export const commentForbidden = () => forbidden('Only its author may delete this comment', 'COMMENT_FORBIDDEN');
export const articleSlugTaken = (detail: string) => conflict('ARTICLE_SLUG_TAKEN', detail);
export const cannotFollowSelf = () => new AppError(422, 'CANNOT_FOLLOW_SELF', 'You cannot follow yourself');

/** The resource (or field) a RealWorld client sees for each code the blog and auth raise. */
const KEY_BY_CODE: Record<string, [key: string, message: string]> = {
  ARTICLE_NOT_FOUND: ['article', 'not found'],
  PROFILE_NOT_FOUND: ['profile', 'not found'],
  COMMENT_NOT_FOUND: ['comment', 'not found'],
  USER_NOT_FOUND: ['user', 'not found'],
  ARTICLE_FORBIDDEN: ['article', 'forbidden'],
  COMMENT_FORBIDDEN: ['comment', 'forbidden'],
  ACCOUNT_DISABLED: ['user', 'is disabled'],
  EMAIL_TAKEN: ['email', 'has already been taken'],
  USERNAME_TAKEN: ['username', 'has already been taken'],
  ARTICLE_SLUG_TAKEN: ['slug', 'has already been taken'],
  INVALID_CREDENTIALS: ['credentials', 'invalid'],
  CANNOT_FOLLOW_SELF: ['profile', 'cannot be followed by its own user'],
};

const CONTEXTS = new Set(['body', 'query', 'params', 'headers']);
const WRAPPERS = new Set(['user', 'article', 'comment']);

/** `body.article.tagList.0` → `tagList`; `body.user` (the wrapper itself missing) → `user`. */
export function fieldName(field: string): string {
  const segments = field.split('.');
  if (segments.length > 1 && CONTEXTS.has(segments[0] as string)) segments.shift();
  if (segments.length > 1 && WRAPPERS.has(segments[0] as string)) segments.shift();
  return segments[0] || 'body';
}

/**
 * Ajv's messages in RealWorld's (Rails') words. Messages our own code wrote (they don't start
 * with "must") are already worded for people and pass through.
 */
export function fieldMessage(message: string): string {
  if (!message.startsWith('must')) return message;
  if (message.startsWith('must have required property')) return "can't be blank";
  const short = /^must NOT have fewer than (\d+) (characters|items|properties)/.exec(message);
  if (short) return short[1] === '1' ? "can't be blank" : `is too short (minimum is ${short[1]} ${short[2]})`;
  const long = /^must NOT have more than (\d+) (characters|items|properties)/.exec(message);
  if (long) return `is too long (maximum is ${long[1]} ${long[2]})`;
  const range = /^must be ([<>]=?) (\d+)/.exec(message);
  if (range) return `must be ${range[1]?.startsWith('<') ? 'at most' : 'at least'} ${range[2]}`;
  return 'is invalid';
}

/** The request value a validation issue points at (`body.user.email`), if it names a part of the request. */
function valueAt(request: FastifyRequest, field: string): { found: boolean; value?: unknown } {
  const [context, ...path] = field.split('.');
  const parts: Record<string, unknown> = { body: request.body, query: request.query, params: request.params };
  if (context === undefined || !(context in parts)) return { found: false };
  let value = parts[context];
  for (const key of path) {
    if (value === null || typeof value !== 'object') return { found: true, value: undefined };
    value = (value as Record<string, unknown>)[key];
  }
  return { found: true, value };
}

const isBlank = (value: unknown) =>
  value === undefined || value === null || (typeof value === 'string' && value.trim() === '');

export function fieldErrors(errors: FieldError[], request: FastifyRequest): RealWorldErrors {
  const out: RealWorldErrors = {};
  for (const error of errors) {
    const key = fieldName(error.field);
    // A missing, null or empty value is "can't be blank" whatever schema rule it broke first. Only
    // Ajv's issues ("must …") point into this request's body; a rule of a service (auth's password
    // screen) names the field in its own API's shape (`body.password`, not `body.user.password`),
    // so its message stands as written.
    const fromSchema = error.message.startsWith('must');
    const target = fromSchema ? valueAt(request, error.field) : { found: false };
    const message = target.found && isBlank(target.value) ? "can't be blank" : fieldMessage(error.message);
    const list = out[key] ?? [];
    if (!list.includes(message)) list.push(message);
    out[key] = list;
  }
  // A blank field is reported as blank only, not also as too short or malformed.
  for (const [key, list] of Object.entries(out)) {
    if (list.includes("can't be blank")) out[key] = ["can't be blank"];
  }
  return out;
}

export function toRealWorldErrors(problem: ClassifiedError, request: FastifyRequest): RealWorldErrors {
  const known = KEY_BY_CODE[problem.code];
  if (known) return { [known[0]]: [known[1]] };
  if (problem.status === 422 && problem.errors?.length) return fieldErrors(problem.errors, request);
  if (problem.status === 401) {
    return { token: [request.headers.authorization === undefined ? 'is missing' : 'is invalid'] };
  }
  if (problem.status === 403) return { resource: ['forbidden'] };
  if (problem.status === 404) return { resource: ['not found'] };
  if (problem.status >= 500) return { server: ['unexpected error'] };
  return { request: [problem.detail] };
}

/** The blog scope's error handler. */
export function realWorldErrorHandler(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  const problem = classifyAndLog(error, request);
  if (problem.headers) reply.headers(problem.headers);
  return reply.code(problem.status).send({ errors: toRealWorldErrors(problem, request) });
}

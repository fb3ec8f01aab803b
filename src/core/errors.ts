import { STATUS_CODES } from 'node:http';
import { isDatabaseUnavailable } from '../db/errors.ts';

/** One field that failed validation: where it is (`body.title`) and what is wrong with it. */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * An error we throw on purpose. `code` is stable and machine-readable (`TASK_NOT_FOUND`): clients
 * branch on it, so it never changes once shipped. `message` becomes the problem's `detail` and is
 * shown to the caller, so it must never contain internals.
 */
export class AppError extends Error {
  override name = 'AppError';
  readonly statusCode: number;
  readonly code: string;
  readonly errors: FieldError[] | undefined;
  readonly headers: Record<string, string>;
  /** Extension members of the problem (RFC 9457 §3.2), e.g. the current version of a resource on a 412. */
  readonly extensions: Record<string, unknown> | undefined;

  constructor(
    statusCode: number,
    code: string,
    message: string,
    options: {
      errors?: FieldError[];
      headers?: Record<string, string>;
      extensions?: Record<string, unknown>;
      cause?: unknown;
    } = {},
  ) {
    super(message, { cause: options.cause });
    this.statusCode = statusCode;
    this.code = code;
    this.errors = options.errors;
    this.headers = options.headers ?? {};
    this.extensions = options.extensions;
  }
}

export const badRequest = (code: string, message: string) => new AppError(400, code, message);
export const unauthorized = (message = 'Authentication is required', code = 'UNAUTHORIZED') =>
  new AppError(401, code, message);
export const forbidden = (message = 'You may not do this', code = 'FORBIDDEN') => new AppError(403, code, message);
export const notFound = (code: string, message: string) => new AppError(404, code, message);
export const conflict = (code: string, message: string) => new AppError(409, code, message);
/**
 * 412: the version the caller named (If-Match) is no longer current. `current`, when given, is the
 * resource as it is now, carried in the problem (an extension member) so the client can merge and
 * retry with its ETag instead of reading it again.
 */
export const preconditionFailed = (message = 'The resource has changed since you last read it', current?: unknown) =>
  new AppError(412, 'PRECONDITION_FAILED', message, current === undefined ? {} : { extensions: { current } });
/** 428: a write that must name the version it was made on came without If-Match. */
export const preconditionRequired = () =>
  new AppError(428, 'PRECONDITION_REQUIRED', 'Send If-Match with the ETag you last read, so no edit is lost');
export const unprocessable = (errors: FieldError[], message = 'The request is invalid') =>
  new AppError(422, 'VALIDATION_FAILED', message, { errors });

/** What every error becomes before it is written: the fields of an RFC 9457 problem. */
export interface ClassifiedError {
  status: number;
  code: string;
  detail: string;
  errors?: FieldError[];
  /** Extension members (see AppError). */
  extensions?: Record<string, unknown>;
  /** Headers the answer carries (`Retry-After` on a 503, a 409 in progress …). */
  headers?: Record<string, string>;
  /** true for a 5xx we did not expect: logged with its stack, shown to nobody. */
  unexpected: boolean;
}

/** How long a client is asked to wait before retrying while the database is unreachable. */
export const UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

interface FastifyLikeError {
  statusCode?: number;
  code?: string;
  message?: string;
  validation?: Array<{ instancePath: string; message?: string; params: Record<string, unknown> }>;
  validationContext?: string;
}

const FASTIFY_CODES: Record<string, { status: number; code: string }> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: { status: 415, code: 'UNSUPPORTED_MEDIA_TYPE' },
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: { status: 400, code: 'INVALID_CONTENT_LENGTH' },
  FST_ERR_CTP_BODY_TOO_LARGE: { status: 413, code: 'PAYLOAD_TOO_LARGE' },
  FST_ERR_CTP_INVALID_JSON_BODY: { status: 400, code: 'MALFORMED_JSON' },
  FST_UNDER_PRESSURE: { status: 503, code: 'SERVICE_UNAVAILABLE' },
};

/**
 * Sorts any thrown value into what the client may see. Shared by every error handler (our
 * problem+json one, and modules with a public spec of their own, like the RealWorld blog), so each
 * kind of error is recognised in exactly one place.
 */
export function classifyError(thrown: unknown): ClassifiedError {
  if (thrown instanceof AppError) {
    return {
      status: thrown.statusCode,
      code: thrown.code,
      detail: thrown.message,
      ...(thrown.errors ? { errors: thrown.errors } : {}),
      ...(thrown.extensions ? { extensions: thrown.extensions } : {}),
      headers: thrown.headers,
      unexpected: false,
    };
  }
  // Before anything else that could read a driver error's fields: an outage is never the caller's fault.
  if (isDatabaseUnavailable(thrown)) {
    return {
      status: 503,
      code: 'SERVICE_UNAVAILABLE',
      detail: 'The service is temporarily unavailable; retry shortly',
      headers: { 'retry-after': String(UNAVAILABLE_RETRY_AFTER_SECONDS) },
      unexpected: false,
    };
  }
  const error = (thrown ?? {}) as FastifyLikeError;
  if (error.validation) {
    return {
      status: 422,
      code: 'VALIDATION_FAILED',
      detail: 'The request is invalid',
      errors: error.validation.map((issue) => toFieldError(error.validationContext ?? 'body', issue)),
      unexpected: false,
    };
  }
  const known = error.code ? FASTIFY_CODES[error.code] : undefined;
  if (known) return { ...known, detail: error.message ?? known.code, unexpected: false };
  if (thrown instanceof SyntaxError && error.statusCode === 400) {
    return { status: 400, code: 'MALFORMED_JSON', detail: 'The request body is not valid JSON', unexpected: false };
  }
  const status = error.statusCode;
  if (status !== undefined && status >= 400 && status < 500) {
    return { status, code: codeForStatus(status), detail: error.message ?? '', unexpected: false };
  }
  return { status: 500, code: 'INTERNAL_ERROR', detail: 'An unexpected error occurred', unexpected: true };
}

/**
 * Where a field is, named after the request part that holds it (`request.body`, `request.query`,
 * `request.params`, `request.headers`), the one scheme every field error uses, whether Ajv or our
 * own code found it. Fastify calls the query's schema `querystring`.
 */
const PART_BY_CONTEXT: Record<string, string> = { querystring: 'query' };

function toFieldError(
  context: string,
  issue: { instancePath: string; message?: string; params: Record<string, unknown> },
): FieldError {
  const segments = issue.instancePath.split('/').filter(Boolean);
  const missing = issue.params.missingProperty;
  if (typeof missing === 'string') segments.push(missing);
  const extra = issue.params.additionalProperty;
  if (typeof extra === 'string') segments.push(extra);
  return {
    field: [PART_BY_CONTEXT[context] ?? context, ...segments].join('.'),
    message: issue.message ?? 'is invalid',
  };
}

/** `Too Many Requests` → `TOO_MANY_REQUESTS`: a stable code for 4xx errors raised by plugins. */
export function codeForStatus(status: number): string {
  return (STATUS_CODES[status] ?? 'Error').toUpperCase().replace(/[^A-Z]+/g, '_');
}

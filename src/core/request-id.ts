import { randomUUID } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

// An incoming id is kept only if it is short and plain, so a client cannot inject log lines or
// oversized headers through it.
const SAFE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export const REQUEST_ID_HEADER = 'x-request-id';

/** Fastify's `genReqId`: reuse the caller's (or proxy's) `X-Request-Id` when sane, else a UUID. */
export function requestIdFrom(request: IncomingMessage): string {
  const incoming = request.headers[REQUEST_ID_HEADER];
  return typeof incoming === 'string' && SAFE_REQUEST_ID.test(incoming) ? incoming : randomUUID();
}

import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import { preconditionFailed, preconditionRequired } from './errors.ts';

/**
 * Optimistic concurrency for every versioned resource (tasks, projects, expenses, notes,
 * notebooks). A row's integer `version` goes up by one on every change and is its strong ETag,
 * `"<version>"`.
 *
 * - Responses carrying one resource call `setEtag(reply, version)`.
 * - Where If-Match is optional (tasks, expenses), `PATCH`/`DELETE` read `expectedVersion(request)`
 *   and the service calls `checkVersion` on the row it locked: 412 when it does not match, so an
 *   edit made on a stale copy is never silently applied.
 * - Where it is required (notes, notebooks: offline clients, where a forgotten header would
 *   overwrite edits made meanwhile), routes read `ifMatchOf(request)` and services call
 *   `checkIfMatch(…, { required: true, changed })`: 428 without it, and a 412 that carries the
 *   current resource (`changed`) so the client can merge.
 * - `GET` answers 304 when `If-None-Match` names the current version (`notModified`).
 */

export function etagOf(version: number): string {
  return `"${version}"`;
}

export function setEtag(reply: FastifyReply, version: number): FastifyReply {
  return reply.header('etag', etagOf(version));
}

/** The entity-tags listed in a conditional header; `'*'` for the wildcard. */
function parseTags(header: string | string[] | undefined): { any: boolean; tags: string[] } | undefined {
  if (header === undefined) return undefined;
  const value = Array.isArray(header) ? header.join(',') : header;
  if (value.trim() === '*') return { any: true, tags: [] };
  const tags = value.match(/(?:W\/)?"[^"]*"/g) ?? [];
  return { any: false, tags };
}

/**
 * The version an `If-Match` header demands: `undefined` when there is no header (unconditional)
 * or it is `*` (any existing version). A header that names no strong tag we could have issued
 * can never match (RFC 9110 §13.1.1 uses strong comparison), so it yields -1, which fails.
 */
export function expectedVersion(request: FastifyRequest): number | undefined {
  const parsed = parseTags(request.headers['if-match']);
  if (!parsed || parsed.any) return undefined;
  for (const tag of parsed.tags) {
    const match = /^"(\d{1,9})"$/.exec(tag);
    if (match) return Number(match[1]);
  }
  return -1;
}

/** Throws 412 when the caller asked for a version that is no longer current (If-Match optional). */
export function checkVersion(expected: number | undefined, actual: number): void {
  checkIfMatch(expected ?? 'any', actual, { required: false });
}

/**
 * What a write's `If-Match` asks for: a version, `any` (`If-Match: *`, a deliberate overwrite), or
 * `missing` (no header), which a route that requires the header refuses.
 */
export type IfMatch = number | 'any' | 'missing';

export function ifMatchOf(request: FastifyRequest): IfMatch {
  if (request.headers['if-match'] === undefined) return 'missing';
  return expectedVersion(request) ?? 'any';
}

/**
 * 428 when the header is `required` and missing; 412 when it names a version other than `actual`
 * — `changed()` builds that 412, typically `preconditionFailed(message, currentObject)`, so the
 * client can merge with what is there now.
 */
export function checkIfMatch(
  expected: IfMatch,
  actual: number,
  options: { required: boolean; changed?: () => Error },
): void {
  if (expected === 'missing') {
    if (options.required) throw preconditionRequired();
    return;
  }
  if (expected !== 'any' && expected !== actual) throw options.changed?.() ?? preconditionFailed();
}

/**
 * For GET: true (and the reply is already a 304 carrying the ETag) when `If-None-Match` names the
 * current version. Weak comparison, as RFC 9110 §13.1.2 asks for this header.
 */
export function notModified(request: FastifyRequest, reply: FastifyReply, version: number): boolean {
  const parsed = parseTags(request.headers['if-none-match']);
  if (!parsed) return false;
  const current = etagOf(version);
  const hit = parsed.any || parsed.tags.some((tag) => tag.replace(/^W\//, '') === current);
  if (hit) setEtag(reply, version).code(304).send();
  return hit;
}

/** Request header schemas, so OpenAPI documents the conditional headers a route honours. */
export const IfMatchHeaders = Type.Object({
  'if-match': Type.Optional(
    Type.String({ description: 'The ETag you last read; the change is refused with 412 if it moved on' }),
  ),
});
export const IfNoneMatchHeaders = Type.Object({
  'if-none-match': Type.Optional(Type.String({ description: 'An ETag you hold; 304 if it is still current' })),
});

/** Response schema for a 304 (no body). */
export const NotModified = Type.Null({ description: 'Not modified: your copy (If-None-Match) is current' });

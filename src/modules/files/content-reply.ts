import { create as contentDisposition } from 'content-disposition';
import type { FastifyReply, FastifyRequest } from 'fastify';
import fresh from 'fresh';
import rangeParser from 'range-parser';
import { AppError } from '../../core/errors.ts';
import { securityHeaders } from '../../core/security-headers.ts';
import type { Content } from './content-service.ts';
import { IMAGE_TYPES } from './purposes.ts';

/**
 * How user content is sent. It is untrusted: `nosniff` and a sandboxing CSP on every answer, and
 * only types a browser cannot run script from are ever shown inline — HTML, SVG, XML and anything
 * unknown are always downloads. The signed links of these routes serve `<img src>` on other
 * origins, hence a cross-origin resource policy.
 */
export const CONTENT_SECURITY_HEADERS = securityHeaders({
  contentSecurityPolicy: { useDefaults: false, directives: { defaultSrc: ["'none'"], sandbox: [] } },
  crossOriginResourcePolicy: { policy: 'cross-origin' },
});

const INLINE_TYPES: ReadonlySet<string> = new Set([
  ...IMAGE_TYPES,
  'application/pdf',
  'text/plain',
  'audio/mpeg',
  'video/mp4',
]);

export function dispositionOf(content: Content, forceDownload: boolean): string {
  const type = !forceDownload && INLINE_TYPES.has(content.contentType) ? 'inline' : 'attachment';
  // content-disposition quotes the name and adds an RFC 5987 `filename*` for non-ASCII names.
  return contentDisposition(content.fileName, { type });
}

const rangeNotSatisfiable = (size: number) =>
  new AppError(416, 'RANGE_NOT_SATISFIABLE', `The file has ${size} bytes`, {
    headers: { 'content-range': `bytes */${size}` },
  });

/**
 * Sends `content` honouring `If-None-Match` (304), `Range` (one range: 206; unsatisfiable: 416;
 * several or malformed: the whole file, as RFC 9110 allows) and `If-Range`.
 */
export async function sendContent(
  request: FastifyRequest,
  reply: FastifyReply,
  content: Content,
  options: { cacheControl: string; forceDownload: boolean },
) {
  const ifRange = request.headers['if-range'];
  const rangeHeader = request.headers.range;
  const ranges =
    rangeHeader && (ifRange === undefined || ifRange === content.etag)
      ? rangeParser(content.size, rangeHeader, { combine: true })
      : undefined;
  if (ranges === -1) throw rangeNotSatisfiable(content.size);
  const range = Array.isArray(ranges) && ranges.type === 'bytes' && ranges.length === 1 ? ranges[0] : undefined;

  reply.headers({ etag: content.etag, 'cache-control': options.cacheControl, 'accept-ranges': 'bytes' });
  if (fresh(request.headers, { etag: content.etag })) return reply.code(304).send();
  reply.headers({
    'content-type': content.contentType,
    'content-disposition': dispositionOf(content, options.forceDownload),
  });
  const length = range ? range.end - range.start + 1 : content.size;
  reply.header('content-length', length);
  if (range) reply.code(206).header('content-range', `bytes ${range.start}-${range.end}/${content.size}`);
  if (request.method === 'HEAD') return reply.send();
  return reply.send(await content.open(range));
}

import { fileTypeFromBuffer } from 'file-type';
import { TEXTUAL_TYPES } from './purposes.ts';

/** Bytes file-type needs to recognise every format it knows. */
export const SNIFF_BYTES = 4100;

/**
 * The content type of an upload, from its first bytes; the client's claim is never trusted for a
 * binary format. Text has no magic number, so a text claim (plain, CSV, JSON, HTML, SVG…) is
 * believed only when the bytes look like text (no NUL byte): harmless, since markup is only ever
 * served as a download. Anything else unrecognised is `application/octet-stream`.
 */
export async function sniffContentType(head: Uint8Array, claimed: string): Promise<string> {
  const detected = await fileTypeFromBuffer(head);
  if (detected) return detected.mime === 'text/xml' ? 'application/xml' : detected.mime;
  const claim = claimed.split(';')[0]?.trim().toLowerCase() ?? '';
  const looksLikeText = !head.includes(0);
  if (looksLikeText && TEXTUAL_TYPES.has(claim)) return claim === 'text/xml' ? 'application/xml' : claim;
  // No claim, or the generic one clients send when they do not know: text if it looks like text.
  if (looksLikeText && (claim === '' || claim === 'application/octet-stream')) return 'text/plain';
  return 'application/octet-stream';
}

import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Time-limited download links for the local driver: the URL carries its expiry and an
 * HMAC-SHA256 over the file, the preview width and that expiry, so none of them can be changed
 * without the key. (The s3 driver hands out the store's own presigned URLs instead.)
 */

function mac(secret: Buffer, fileId: string, width: number | undefined, expires: number): Buffer {
  return createHmac('sha256', secret)
    .update(`files/v1\n${fileId}\n${width ?? ''}\n${expires}`)
    .digest();
}

export function signLink(secret: Buffer, fileId: string, width: number | undefined, expires: number): string {
  return mac(secret, fileId, width, expires).toString('base64url');
}

export type LinkCheck = 'valid' | 'expired' | 'invalid';

/** Checks a presented signature in constant time; an altered link is `invalid`, an old one `expired`. */
export function checkLink(
  secret: Buffer,
  link: { fileId: string; width: number | undefined; expires: number; signature: string },
  nowSeconds: number,
): LinkCheck {
  const expected = mac(secret, link.fileId, link.width, link.expires);
  const presented = Buffer.from(link.signature, 'base64url');
  if (presented.length !== expected.length || !timingSafeEqual(presented, expected)) return 'invalid';
  return link.expires < nowSeconds ? 'expired' : 'valid';
}

import { createHash, randomBytes } from 'node:crypto';

/**
 * Opaque secrets (refresh tokens, session cookies, email links): 256 random bits, handed to the
 * client once, stored only as a SHA-256 digest. A fast hash is right here: the input is random
 * and long, so there is nothing to brute-force, and a database leak reveals no usable token.
 */
export function newOpaqueToken(): string {
  return randomBytes(32).toString('base64url');
}

export function digestToken(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

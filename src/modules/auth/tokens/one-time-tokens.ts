import type { Db } from '../../../db/database.ts';
import type { OneTimeTokenPurpose } from '../tables.ts';
import { insertOneTimeToken } from './one-time-token-repository.ts';
import { digestToken, newOpaqueToken } from './opaque-tokens.ts';

/**
 * Issues a single-use token for one purpose (an emailed link, an OAuth log-in code): returns the
 * token to hand out, and stores only its digest, with its expiry.
 */
export async function issueOneTimeToken(
  db: Db,
  token: {
    userId: string;
    purpose: OneTimeTokenPurpose;
    email: string | null;
    ttlMs: number;
    /** delete the user's older tokens of this purpose (a new link kills the previous one) */
    supersede: boolean;
    details?: Record<string, unknown>;
  },
): Promise<string> {
  const value = newOpaqueToken();
  const { ttlMs, ...stored } = token;
  await insertOneTimeToken(db, { ...stored, tokenHash: digestToken(value), expiresAt: new Date(Date.now() + ttlMs) });
  return value;
}

import { createHash, randomBytes } from 'node:crypto';
import type { FastifyRequest } from 'fastify';

/**
 * Players need no account: joining hands them a random token (shown once), which they send as
 * `X-Player-Token`, or in the realtime `auth` message. Only its SHA-256 is stored: it is 256 bits
 * of randomness, so a fast hash is enough, and a leaked table does not hand out seats.
 */

const PREFIX = 'gwp_';
export const PLAYER_TOKEN_HEADER = 'x-player-token';

export const newPlayerToken = () => `${PREFIX}${randomBytes(32).toString('base64url')}`;
export const hashPlayerToken = (token: string) => createHash('sha256').update(token).digest('hex');
export const isPlayerToken = (token: string) => token.startsWith(PREFIX) && token.length < 100;

export function presentedPlayerToken(request: FastifyRequest): string | undefined {
  const value = request.headers[PLAYER_TOKEN_HEADER];
  return typeof value === 'string' && isPlayerToken(value) ? value : undefined;
}

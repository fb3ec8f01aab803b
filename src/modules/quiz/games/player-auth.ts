import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { RealtimeAuthenticator } from '../../../core/realtime/routes.ts';
import { authenticate } from '../../auth/index.ts';
import { playerTokenInvalid } from '../errors.ts';
import { findPlayerByToken, type PlayerIdentity } from './game-repository.ts';
import { hashPlayerToken, isPlayerToken, presentedPlayerToken } from './player-tokens.ts';

/** Authenticating players (their token) next to account holders (auth's tokens), over HTTP and realtime. */

declare module 'fastify' {
  interface FastifyRequest {
    player?: PlayerIdentity | undefined;
  }
}

// A player's identity never changes after joining, and a live game sends hundreds of requests a
// second with the same tokens: each instance remembers the ones it has seen (bounded). A game that
// is deleted meanwhile still answers 404: every request reads the game itself.
const known = new Map<string, PlayerIdentity>();
const MAX_KNOWN = 50_000;

async function playerFor(app: FastifyInstance, token: string): Promise<PlayerIdentity | undefined> {
  const hash = hashPlayerToken(token);
  const cached = known.get(hash);
  if (cached) return cached;
  const player = await findPlayerByToken(app.db, hash);
  if (player) {
    if (known.size >= MAX_KNOWN) known.delete(known.keys().next().value as string);
    known.set(hash, player);
  }
  return player;
}

/** `onRequest`: the request must carry a valid player token. */
export async function requirePlayer(request: FastifyRequest): Promise<void> {
  const token = presentedPlayerToken(request);
  request.player = token ? await playerFor(request.server, token) : undefined;
  if (!request.player) throw playerTokenInvalid();
}

/** `onRequest`: a player (by token) or else an account holder (the host). */
export async function playerOrUser(request: FastifyRequest, reply: FastifyReply): Promise<void> {
  if (request.headers['x-player-token'] !== undefined) return requirePlayer(request);
  return authenticate(request, reply);
}

/**
 * The realtime authenticator with players added: a player opens the WebSocket and sends
 * `{ "type": "auth", "token": "<player token>" }` (their id is their realtime identity); anyone
 * else authenticates as auth's authenticator says.
 */
export function withPlayerTokens(inner: RealtimeAuthenticator): RealtimeAuthenticator {
  return {
    fromRequest: (request, reply) => inner.fromRequest(request, reply),
    async fromToken(app, token) {
      if (!isPlayerToken(token)) return inner.fromToken(app, token);
      const player = await playerFor(app, token);
      return player ? { id: player.id } : null;
    },
  };
}

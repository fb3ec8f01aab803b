import { LRUCache } from 'lru-cache';
import type { Role } from '../tables.ts';

export interface LiveSession {
  userId: string;
  role: Role;
}

/**
 * A brief memory of sessions already checked, so an authenticated request costs no database
 * round trip most of the time. It holds positives only; a revocation on this instance deletes its
 * entry at once, and one on another instance takes effect within `ttlMs`.
 */
export class SessionCache {
  readonly #cache: LRUCache<string, LiveSession>;

  constructor(ttlMs = 5_000, max = 50_000) {
    this.#cache = new LRUCache({ max, ttl: ttlMs });
  }

  get(sessionId: string): LiveSession | undefined {
    return this.#cache.get(sessionId);
  }

  set(sessionId: string, session: LiveSession): void {
    this.#cache.set(sessionId, session);
  }

  forget(sessionId: string): void {
    this.#cache.delete(sessionId);
  }
}

import cookie from '@fastify/cookie';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { LRUCache } from 'lru-cache';
import { type LoginThrottle, MemoryLoginThrottle, RedisLoginThrottle } from './accounts/login-throttle.ts';
import { SessionCache } from './sessions/session-cache.ts';
import { VerifiedTokens } from './tokens/access-tokens.ts';
import { SigningKeys } from './tokens/signing-keys.ts';

/** Long-lived auth state shared by the guard and the service: the key set and the session cache. */
export interface AuthState {
  keys: SigningKeys;
  /** Access tokens already verified by this instance, until they expire (at most a minute). */
  verifiedTokens: VerifiedTokens;
  sessions: SessionCache;
  /** Log-in throttling: in Redis when configured (shared by instances), else in memory. */
  throttle: LoginThrottle;
  /** Session-cookie digest → session id. The mapping never changes, so caching it is always safe. */
  cookieSessionIds: LRUCache<string, string>;
}

declare module 'fastify' {
  interface FastifyInstance {
    auth: AuthState;
  }
  interface FastifyRequest {
    /** Set by the auth guards; null for an anonymous request. */
    user: { id: string; role: 'user' | 'admin'; sessionId: string } | null;
  }
}

export const authState = fp(
  async (app: FastifyInstance) => {
    // Parses the session cookie for the guard. Registered once for the whole app (fastify-plugin).
    if (!app.hasPlugin('@fastify/cookie')) await app.register(cookie);
    const redis = app.redis;
    const memory = new MemoryLoginThrottle();
    app.decorate('auth', {
      keys: new SigningKeys(app.db, app.config.auth.signingKeyRotationDays),
      verifiedTokens: new VerifiedTokens(),
      sessions: new SessionCache(),
      throttle: redis
        ? new RedisLoginThrottle(redis, {
            prefix: app.config.auth.loginThrottle.redisPrefix,
            fallback: memory,
            onError: (error) => app.log.warn({ err: error }, 'login throttle: redis unavailable, using memory'),
          })
        : memory,
      cookieSessionIds: new LRUCache<string, string>({ max: 50_000 }),
    });
    app.decorateRequest('user', null);
  },
  { name: 'auth-state', dependencies: ['database', 'redis'] },
);

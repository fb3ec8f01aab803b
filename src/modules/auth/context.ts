import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { SessionCache } from './session-cache.ts';
import { SigningKeys } from './signing-keys.ts';

/** Long-lived auth state shared by the guard and the service: the key set and the session cache. */
export interface AuthState {
  keys: SigningKeys;
  sessions: SessionCache;
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
    app.decorate('auth', {
      keys: new SigningKeys(app.db, app.config.auth.signingKeyRotationDays),
      sessions: new SessionCache(),
    });
    app.decorateRequest('user', null);
  },
  { name: 'auth-state', dependencies: ['database'] },
);

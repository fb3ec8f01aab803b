import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import fp from 'fastify-plugin';
import { Gauge } from 'prom-client';
import { Type } from 'typebox';
import { authRoutes } from './accounts/account-routes.ts';
import { hashingLoad } from './accounts/passwords.ts';
import { adminRoutes } from './admin/admin-routes.ts';
import { oauthRoutes } from './oauth/oauth-routes.ts';
import {
  emailChangedMailJob,
  passwordChangedMailJob,
  passwordResetMailJob,
  verificationMailJob,
} from './recovery/mail-jobs.ts';
import { recoveryRoutes } from './recovery/recovery-routes.ts';
import { User } from './schemas.ts';
import { sessionRoutes } from './sessions/session-routes.ts';
import { authState } from './state.ts';

const Jwks = Type.Object({ keys: Type.Array(Type.Record(Type.String(), Type.Unknown())) });

/**
 * The auth module: shared auth state, `/api/auth/*`, and the public keys at the well-known path.
 * Not encapsulated (fastify-plugin), so `app.auth` and `request.user` exist for every module.
 */
const auth: FastifyPluginAsyncTypebox = async (app) => {
  await app.register(authState);
  // Verification and password-reset mail, sent by durable jobs (core/jobs) after the change commits.
  app.jobs.register(verificationMailJob, passwordResetMailJob, passwordChangedMailJob, emailChangedMailJob);
  // A growing queue means log-ins and sign-ups arrive faster than the cores can hash.
  new Gauge({
    name: 'auth_password_hashes',
    help: 'Password hashes (argon2id) running and waiting for a core',
    labelNames: ['state'] as const,
    registers: [app.metrics],
    collect() {
      const load = hashingLoad();
      this.set({ state: 'running' }, load.running);
      this.set({ state: 'queued' }, load.queued);
    },
  });
  app.addSchema(User);
  await app.register(authRoutes, { prefix: '/api/auth' });
  await app.register(recoveryRoutes, { prefix: '/api/auth' });
  await app.register(oauthRoutes, { prefix: '/api/auth/oauth' });
  // Cookie sessions and the user's sessions; user administration and the audit log.
  await app.register(sessionRoutes, { prefix: '/api/auth' });
  await app.register(adminRoutes, { prefix: '/api/auth' });

  app.get(
    '/.well-known/jwks.json',
    {
      schema: { tags: ['auth'], summary: 'Public keys that verify access tokens (JWKS)', response: { 200: Jwks } },
    },
    async (_request, reply) => {
      reply.header('cache-control', 'public, max-age=300');
      return app.auth.keys.jwks();
    },
  );
};

export const authModule = fp(auth, { name: 'auth', dependencies: ['database', 'metrics', 'jobs'] });

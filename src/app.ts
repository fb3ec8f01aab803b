import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Config } from './config.ts';
import { bodyParsersPlugin } from './core/body-parsers.ts';
import { databasePlugin } from './core/database.ts';
import { healthRoutes } from './core/health.ts';
import { idempotencyPlugin } from './core/idempotency.ts';
import { inFlightPlugin } from './core/in-flight.ts';
import { jobAdminRoutes, jobsPlugin } from './core/jobs/index.ts';
import { loggerOptions } from './core/logger.ts';
import { mailerPlugin } from './core/mailer.ts';
import { metricsPlugin } from './core/metrics.ts';
import { openapiPlugin } from './core/openapi.ts';
import { problemHandler } from './core/problem-handler.ts';
import { realtimePlugin } from './core/realtime/plugin.ts';
import { realtimeRoutes } from './core/realtime/routes.ts';
import { redisPlugin } from './core/redis.ts';
import { REQUEST_ID_HEADER, requestIdFrom } from './core/request-id.ts';
import { securityPlugin } from './core/security.ts';
import { shutdownPlugin } from './core/shutdown.ts';
import { textSafetyPlugin } from './core/text-safety.ts';
import { schemaController } from './core/validation.ts';
import { authenticate, authModule, authorize, realtimeAuthenticator } from './modules/auth/index.ts';
import { blogModule } from './modules/blog/index.ts';
import { expensesModule } from './modules/expenses/index.ts';
import { filesModule } from './modules/files/index.ts';
import { messagesModule } from './modules/messages/index.ts';
import { notesModule } from './modules/notes/index.ts';
import { quizModule, withPlayerTokens } from './modules/quiz/index.ts';
import { tasksModule } from './modules/tasks/index.ts';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
  }
}

/**
 * Builds the whole application without listening: production (`server.ts`) and every test build
 * it through here with the same options, so tests exercise exactly what runs.
 */
export async function buildApp(config: Config): Promise<FastifyInstance> {
  const app = Fastify({
    logger: loggerOptions(config),
    genReqId: requestIdFrom,
    requestIdHeader: false,
    bodyLimit: config.bodyLimitBytes,
    // Start-up includes migrations, which on a large table or a loaded machine outlast Fastify's
    // default 10 s per plugin; a hung start still fails, just later.
    pluginTimeout: 120_000,
    trustProxy: config.trustProxy,
    schemaController,
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('config', config);
  app.addHook('onRequest', async (request, reply) => {
    reply.header(REQUEST_ID_HEADER, request.id);
  });

  // Core, in dependency order: errors first so everything after is covered by them. The database
  // opens (and migrates) before load shedding starts measuring event-loop lag, so that boot work is
  // not mistaken for overload and shed the first requests. Handlers are counted from the first
  // route on, so closing waits for them before the database goes. Security (rate limit, headers)
  // comes before any route, since it applies only to routes registered after it.
  await app.register(problemHandler);
  await app.register(bodyParsersPlugin);
  await app.register(textSafetyPlugin);
  // A request still in flight when shutdown begins is answered with `Connection: close`.
  await app.register(shutdownPlugin);
  await app.register(redisPlugin, { config });
  await app.register(databasePlugin, { config });
  await app.register(inFlightPlugin);
  await app.register(securityPlugin, { config });
  await app.register(openapiPlugin);
  await app.register(metricsPlugin);
  await app.register(mailerPlugin, { config });
  await app.register(healthRoutes);
  await app.register(jobsPlugin, { config });
  await app.register(idempotencyPlugin);
  await app.register(realtimePlugin, { config });

  // Product modules, each under its own prefix.
  await app.register(authModule);
  await app.register(tasksModule, { prefix: '/api' });
  await app.register(blogModule, { prefix: '/api' });
  // Not under a prefix: it decorates `app.files` for the modules after it, and mounts its routes under /api.
  await app.register(filesModule);
  await app.register(jobAdminRoutes, { prefix: '/api/admin', guard: [authenticate, authorize('admin')] });
  await app.register(messagesModule, { prefix: '/api' });
  await app.register(expensesModule, { prefix: '/api/expenses' });
  await app.register(notesModule, { prefix: '/api' });
  await app.register(quizModule, { prefix: '/api' });
  // The WebSocket and SSE endpoints, authenticated the way the auth module authenticates requests
  // (and, for a live quiz game's players, by their player token).
  await app.register(realtimeRoutes, { authenticator: withPlayerTokens(realtimeAuthenticator) });

  return app;
}

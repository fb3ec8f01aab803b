import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { MigrationError } from './db/migrator.ts';
import { assertSafeForProduction } from './production-guard.ts';

// How long open keep-alive connections get to send one more request (answered, then closed).
const DRAIN_WINDOW_MS = 2_000;

/** The process: read config, build the app, listen, and shut down gracefully on SIGTERM/SIGINT. */
async function main() {
  const config = loadConfig(process.env, { dotenv: true });
  assertSafeForProduction(config);
  const app = await buildApp(config);

  // On a signal: turn not-ready and stop accepting connections, let the open ones end after their
  // next answer (src/core/shutdown.ts), let in-flight requests and jobs finish, close the database
  // and Redis, exit 0. If that takes longer than the bound, exit 1 rather than hang a deploy.
  closeWithGrace({ delay: config.shutdownTimeoutMs, logger: app.log }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an uncaught error');
    else app.log.info({ signal }, 'shutting down');
    await app.drain(Math.min(DRAIN_WINDOW_MS, config.shutdownTimeoutMs / 4));
    await app.close();
  });

  await app.listen({ host: config.host, port: config.port });
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || error instanceof MigrationError) {
    console.error(error.message);
  } else {
    console.error('Groundwork failed to start:', error);
  }
  process.exit(1);
});

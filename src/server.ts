import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.ts';
import { ConfigError, loadConfig } from './config.ts';
import { MigrationError } from './db/migrator.ts';
import { assertSafeForProduction } from './production-guard.ts';

/** The process: read config, build the app, listen, and shut down gracefully on SIGTERM/SIGINT. */
async function main() {
  const config = loadConfig(process.env, { dotenv: true });
  assertSafeForProduction(config);
  const app = await buildApp(config);

  // On a signal: stop accepting connections, let in-flight requests finish, close the database and
  // Redis, exit 0. If that takes longer than the bound, exit 1 rather than hang a deploy.
  closeWithGrace({ delay: config.shutdownTimeoutMs, logger: app.log }, async ({ signal, err }) => {
    if (err) app.log.error({ err }, 'shutting down after an uncaught error');
    else app.log.info({ signal }, 'shutting down');
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

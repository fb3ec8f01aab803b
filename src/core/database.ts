import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.ts';
import { createDatabase, type Db } from '../db/database.ts';
import { migrateToLatest } from '../db/migrator.ts';

declare module 'fastify' {
  interface FastifyInstance {
    db: Db;
  }
}

/** Opens the database (migrating it first when configured) and closes it when the app closes. */
export const databasePlugin = fp(
  async (app: FastifyInstance, { config }: { config: Config }) => {
    const db = createDatabase(config.database);
    app.addHook('onClose', () => db.destroy());
    if (config.migrateOnStart) {
      try {
        const applied = await migrateToLatest(db);
        if (applied.length) app.log.info({ applied }, 'migrations applied');
      } catch (error) {
        await db.destroy();
        throw error;
      }
    }
    app.decorate('db', db);
  },
  { name: 'database' },
);

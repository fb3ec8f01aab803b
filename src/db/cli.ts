import { ConfigError, loadConfig } from '../config.ts';
import { createDatabase } from './database.ts';
import { MigrationError, migrateToLatest, rollbackOne } from './migrator.ts';

/** `npm run db:migrate` / `npm run db:rollback`, against the database the environment names. */
const command = process.argv[2];
if (command !== 'migrate' && command !== 'rollback') {
  console.error('usage: node src/db/cli.ts migrate|rollback');
  process.exit(2);
}

try {
  const config = loadConfig(process.env, { dotenv: true });
  const db = createDatabase(config.database);
  try {
    const applied = command === 'migrate' ? await migrateToLatest(db) : await rollbackOne(db);
    const verb = command === 'migrate' ? 'applied' : 'reverted';
    console.log(applied.length ? `${verb}: ${applied.join(', ')}` : `nothing to do`);
  } finally {
    await db.destroy();
  }
} catch (error) {
  if (error instanceof ConfigError || error instanceof MigrationError) {
    console.error(error.message);
    process.exit(1);
  }
  throw error;
}

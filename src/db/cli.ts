import { MigrationError, migrateToLatest, rollbackOne } from './migrator.ts';
import { runAgainstDatabase } from './run-against-database.ts';

/** `npm run db:migrate` / `npm run db:rollback`, against the database the environment names. */
const command = process.argv[2];
if (command !== 'migrate' && command !== 'rollback') {
  console.error('usage: node src/db/cli.ts migrate|rollback');
  process.exit(2);
}

await runAgainstDatabase(
  async (db) => {
    const applied = command === 'migrate' ? await migrateToLatest(db) : await rollbackOne(db);
    const verb = command === 'migrate' ? 'applied' : 'reverted';
    console.log(applied.length ? `${verb}: ${applied.join(', ')}` : `nothing to do`);
  },
  [MigrationError],
);

import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Kysely } from 'kysely';
import { FileMigrationProvider, type MigrationResultSet, Migrator } from 'kysely/migration';

export const MIGRATIONS_FOLDER = fileURLToPath(new URL('./migrations', import.meta.url));

export class MigrationError extends Error {
  override name = 'MigrationError';
}

/**
 * Migrations run in the order of their full file names, compared by code unit rather than Kysely's
 * default `localeCompare`, so the order never depends on the machine's locale. Two applied files
 * share a timestamp (`20261124000300_idempotency_keys` and `20261124000300_tasks`); they are
 * independent, and this order puts `idempotency_keys` first everywhere. New migrations take a
 * timestamp no other file has (`test/db/migrator.test.ts` checks).
 */
export const byName = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and typed against no schema.
function migratorFor(db: Kysely<any>, folder: string) {
  return new Migrator({
    db,
    provider: new FileMigrationProvider({ fs, path, migrationFolder: folder }),
    nameComparator: byName,
  });
}

function check({ error, results }: MigrationResultSet): string[] {
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    const reason = error instanceof Error ? error.message : String(error);
    throw new MigrationError(`Migration "${failed}" failed: ${reason}. The schema was left unchanged.`, {
      cause: error,
    });
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * Applies every pending migration. On PostgreSQL Kysely runs them all in one transaction behind an
 * advisory lock, so a failure leaves the schema as it was and two instances starting together
 * never migrate twice.
 */
// biome-ignore lint/suspicious/noExplicitAny: see migratorFor.
export async function migrateToLatest(db: Kysely<any>, folder = MIGRATIONS_FOLDER): Promise<string[]> {
  return check(await migratorFor(db, folder).migrateToLatest());
}

/** Reverts the most recent migration. */
// biome-ignore lint/suspicious/noExplicitAny: see migratorFor.
export async function rollbackOne(db: Kysely<any>, folder = MIGRATIONS_FOLDER): Promise<string[]> {
  return check(await migratorFor(db, folder).migrateDown());
}

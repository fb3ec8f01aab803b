import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Another live process holds the embedded database's folder. */
export class DatabaseInUseError extends Error {}

const LOCK_FILE = 'groundwork.pid';

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to another user, so it is running.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Claims an embedded PGlite folder for this process, or throws `DatabaseInUseError`. PGlite keeps
 * the database in the memory of the process that opened it and writes the folder back on its own
 * terms, so a second process (`npm run auth:make-admin` while the server runs) would change its
 * own copy and the change would be lost. Like PostgreSQL's `postmaster.pid`: the holder's pid goes
 * into a file created exclusively; a file naming a process that is gone (a crash) is taken over.
 * Returns the release function.
 */
export function lockDataDir(dataDir: string): () => void {
  const file = join(dataDir, LOCK_FILE);
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      return () => rmSync(file, { force: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const holder = Number.parseInt(readFileSync(file, 'utf8'), 10);
    if (Number.isInteger(holder) && holder > 0 && isRunning(holder)) {
      throw new DatabaseInUseError(
        `The embedded database in ${dataDir} is in use by process ${holder} (the server?). ` +
          'Stop that process and run this again, or use PostgreSQL (DATABASE_URL), which several processes can share. ' +
          `(If no such process is Groundwork, delete ${file}.)`,
      );
    }
    rmSync(file, { force: true });
  }
  throw new DatabaseInUseError(`Could not claim ${file}: another process keeps taking it`);
}

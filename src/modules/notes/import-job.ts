import { defineJob } from '../../core/jobs/index.ts';
import { runImport } from './import-service.ts';

/** Imports one upload (POST /api/notes/import). Safe to repeat: notes already there are skipped. */
export const importJob = defineJob<{ importId: string }>(
  'notes.import',
  async ({ importId }, { app }) => {
    await runImport({ db: app.db, config: app.config.notes }, app.files, importId);
  },
  { concurrency: 1, timeoutSeconds: 600, retryLimit: 2 },
);

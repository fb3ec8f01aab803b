import type { FastifyInstance } from 'fastify';
import { authenticate } from '../auth/index.ts';
import { attachmentRoutes } from './attachment-routes.ts';
import type { NotesContext } from './context.ts';
import { importJob } from './import-job.ts';
import { importRoutes } from './import-routes.ts';
import { noteRoutes } from './note-routes.ts';
import { notebookRoutes } from './notebook-routes.ts';
import { PURGE_CRON, purgeJob } from './purge-job.ts';
import { revisionRoutes } from './revision-routes.ts';
import { sharedRoutes, shareRoutes } from './share-routes.ts';

/**
 * Notes: markdown notes in nested notebooks, with history, trash, a sync feed, search, backlinks,
 * share links, attachments and import/export. Registered under `/api` in app.ts.
 */
export async function notesModule(app: FastifyInstance) {
  const ctx: NotesContext = { db: app.db, config: app.config.notes };
  app.jobs.register(purgeJob, importJob);
  app.jobs.schedule(purgeJob, PURGE_CRON, {});

  await app.register(async (owned) => {
    // Every route here needs a user: 401 comes before validation.
    owned.addHook('onRequest', authenticate);
    await owned.register(noteRoutes, { ctx });
    await owned.register(revisionRoutes, { ctx });
    await owned.register(notebookRoutes, { ctx });
    await owned.register(shareRoutes);
    await owned.register(attachmentRoutes);
    await owned.register(importRoutes, {
      enqueue: async (trx, importId) => {
        await app.jobs.enqueue(trx, importJob, { importId });
      },
    });
  });
  // A share link is its own credential: no account, no authentication hook.
  await app.register(sharedRoutes);
}

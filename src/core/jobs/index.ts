/**
 * Durable background jobs: the public face other code imports.
 *
 *   const welcome = defineJob<{ userId: string }>('auth.welcome-mail', async ({ userId }, { app }) => …);
 *   app.jobs.register(welcome);                               // in the module's plugin
 *   await app.db.transaction().execute(async (trx) => {
 *     … the change …
 *     await app.jobs.enqueue(trx, welcome, { userId });       // committed with it, or not at all
 *   });
 *   app.jobs.schedule(purge, '0 3 * * *', {});                // once a day across all instances
 */

export { jobAdminRoutes } from './admin-routes.ts';
export { defineJob, type JobContext, type JobDefinition, type JobHandler, type JobOptions } from './definitions.ts';
export { type EnqueueOptions, type Jobs, jobsPlugin } from './plugin.ts';

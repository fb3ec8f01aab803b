import type { FastifyInstance } from 'fastify';
import { authenticate } from '../auth/index.ts';
import { accountRoutes } from './accounts/account-routes.ts';
import { budgetRoutes } from './budgets/budget-routes.ts';
import { exportRoutes } from './imports/export-routes.ts';
import { importRoutes } from './imports/import-routes.ts';
import { categoryRoutes } from './labels/category-routes.ts';
import { namedRoutes } from './labels/named-routes.ts';
import { rateRoutes } from './rates/rate-routes.ts';
import { RECURRING_CRON, recurringJob } from './recurring/recurring-job.ts';
import { recurringRoutes } from './recurring/recurring-routes.ts';
import { reportRoutes } from './reports/report-routes.ts';
import { transactionRoutes } from './transactions/transaction-routes.ts';

/**
 * The expense tracker: accounts, categories, tags and payees, split transactions and transfers,
 * budgets, recurring bills, exchange rates, reports and charts, CSV import and export. Registered
 * under `/api/expenses` in app.ts; everything in it belongs to the user who made it.
 */
export async function expensesModule(app: FastifyInstance) {
  // Every route needs a user: one hook, before any validation, so 401 comes first.
  app.addHook('onRequest', authenticate);
  await app.register(accountRoutes);
  await app.register(categoryRoutes);
  await app.register(namedRoutes, { kind: 'tags' });
  await app.register(namedRoutes, { kind: 'payees' });
  await app.register(transactionRoutes);
  await app.register(rateRoutes);
  await app.register(budgetRoutes);
  await app.register(recurringRoutes);
  await app.register(importRoutes);
  await app.register(exportRoutes);
  app.jobs.register(recurringJob);
  app.jobs.schedule(recurringJob, RECURRING_CRON, {});
  await app.register(reportRoutes);
}

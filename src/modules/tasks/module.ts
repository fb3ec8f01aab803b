import type { FastifyInstance } from 'fastify';
import { authenticate } from '../auth/index.ts';
import { projectRoutes } from './project-routes.ts';
import { taskRoutes } from './task-routes.ts';

/**
 * The task manager: projects with members and labels, tasks with subtasks, recurrence, search,
 * activity and comments. Registered under `/api` in app.ts.
 */
export async function tasksModule(app: FastifyInstance) {
  // Every tasks route needs a user: one hook for all of them, before any validation.
  app.addHook('onRequest', authenticate);
  await app.register(projectRoutes);
  await app.register(taskRoutes);
}

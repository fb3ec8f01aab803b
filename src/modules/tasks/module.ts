import type { FastifyInstance } from 'fastify';
import { projectRoutes } from './project-routes.ts';
import { taskRoutes } from './task-routes.ts';

/**
 * The task manager: projects with members and labels, tasks with subtasks, recurrence, search,
 * activity and comments. Registered under `/api` in app.ts.
 */
export async function tasksModule(app: FastifyInstance) {
  await app.register(projectRoutes);
  await app.register(taskRoutes);
}

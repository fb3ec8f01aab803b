import type { FastifyInstance } from 'fastify';
import { authenticate } from '../auth/index.ts';
import { PROJECT_TOPICS } from './access.ts';
import { memberIds } from './project-repository.ts';
import { projectRoutes } from './project-routes.ts';
import { taskRoutes } from './task-routes.ts';

/**
 * The task manager: projects with members and labels, tasks with subtasks, recurrence, search,
 * activity and comments. Registered under `/api` in app.ts.
 */
export async function tasksModule(app: FastifyInstance) {
  // Every tasks route needs a user: one hook for all of them, before any validation.
  app.addHook('onRequest', authenticate);
  // Task changes go live to the project's members (checked again at every event's delivery).
  app.realtime.defineTopic(PROJECT_TOPICS, {
    async audience(db, userId, projectId) {
      const members = await memberIds(db, projectId);
      return members.includes(userId) ? members : null;
    },
  });
  await app.register(projectRoutes);
  await app.register(taskRoutes);
}

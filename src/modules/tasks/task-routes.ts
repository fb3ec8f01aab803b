import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import {
  expectedVersion,
  IfMatchHeaders,
  IfNoneMatchHeaders,
  NotModified,
  notModified,
  setEtag,
} from '../../core/etag.ts';
import { requestDb } from '../../core/idempotency.ts';
import { NoContent, Page, PageQuery, problemResponses } from '../../core/schemas.ts';
import { currentUser } from '../auth/index.ts';
import {
  Activity,
  BulkUpdateTasks,
  Comment,
  CommentParams,
  CreateComment,
  CreateTask,
  ProjectParams,
  Task,
  TaskPage,
  TaskParams,
  TaskQuery,
  UpdateTask,
} from './schemas.ts';
import * as service from './task-service.ts';

/** /api/projects/:id/tasks and /api/tasks: tasks, their activity and comments. */

const tasks = { tags: ['tasks'], security: [{ bearerAuth: [] }] };

export const taskRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/projects/:projectId/tasks',
    {
      config: { idempotent: true },
      schema: {
        ...tasks,
        summary: 'Create a task (editor)',
        params: ProjectParams,
        body: CreateTask,
        response: { 201: Task, ...problemResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const task = await service.createTask(
        { db: requestDb(request, app.db), realtime: app.realtime },
        currentUser(request).id,
        request.params.projectId,
        request.body,
      );
      setEtag(reply, task.version).header('location', `/api/tasks/${task.id}`);
      return reply.code(201).send(task);
    },
  );

  app.get(
    '/projects/:projectId/tasks',
    {
      schema: {
        ...tasks,
        summary: "List a project's tasks: filter, search, sort, keyset pages (default sort: position)",
        params: ProjectParams,
        querystring: TaskQuery,
        response: { 200: TaskPage, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => service.listTasks(app.db, currentUser(request).id, request.params.projectId, request.query),
  );

  app.patch(
    '/projects/:projectId/tasks',
    {
      schema: {
        ...tasks,
        summary: 'Change status, assignee or labels of up to 100 tasks at once, all or nothing (editor)',
        params: ProjectParams,
        body: BulkUpdateTasks,
        response: { 200: Type.Object({ items: Type.Array(Task) }), ...problemResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => service.bulkUpdateTasks(app, currentUser(request).id, request.params.projectId, request.body),
  );

  app.get(
    '/tasks',
    {
      schema: {
        ...tasks,
        summary: 'List tasks in all your projects: filter, search, sort, keyset pages (default sort: due)',
        querystring: TaskQuery,
        response: { 200: TaskPage, ...problemResponses(401, 422) },
      },
    },
    async (request) => service.listTasks(app.db, currentUser(request).id, undefined, request.query),
  );

  app.get(
    '/tasks/:taskId',
    {
      schema: {
        ...tasks,
        summary: 'Get a task',
        params: TaskParams,
        headers: IfNoneMatchHeaders,
        response: { 200: Task, 304: NotModified, ...problemResponses(401, 404, 422) },
      },
    },
    async (request, reply) => {
      const task = await service.getTask(app.db, currentUser(request).id, request.params.taskId);
      if (notModified(request, reply, task.version)) return reply;
      return setEtag(reply, task.version).send(task);
    },
  );

  app.patch(
    '/tasks/:taskId',
    {
      schema: {
        ...tasks,
        summary: 'Change a task, move it (`move`), or complete it (editor); send If-Match to avoid lost updates',
        params: TaskParams,
        headers: IfMatchHeaders,
        body: UpdateTask,
        response: { 200: Task, ...problemResponses(400, 401, 403, 404, 409, 412, 422) },
      },
    },
    async (request, reply) => {
      const { id } = currentUser(request);
      const task = await service.updateTask(app, id, request.params.taskId, request.body, expectedVersion(request));
      return setEtag(reply, task.version).send(task);
    },
  );

  app.delete(
    '/tasks/:taskId',
    {
      schema: {
        ...tasks,
        summary: 'Delete a task and its subtasks (editor)',
        params: TaskParams,
        headers: IfMatchHeaders,
        response: { 204: NoContent, ...problemResponses(401, 403, 404, 409, 412, 422) },
      },
    },
    async (request, reply) => {
      await service.deleteTask(app, currentUser(request).id, request.params.taskId, expectedVersion(request));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/tasks/:taskId/activity',
    {
      schema: {
        ...tasks,
        summary: "A task's history: who changed which fields, from what to what (oldest first)",
        params: TaskParams,
        querystring: PageQuery(50),
        response: { 200: Page(Activity), ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => service.listActivity(app.db, currentUser(request).id, request.params.taskId, request.query),
  );

  app.get(
    '/tasks/:taskId/comments',
    {
      schema: {
        ...tasks,
        summary: "A task's comments, oldest first",
        params: TaskParams,
        querystring: PageQuery(50),
        response: { 200: Page(Comment), ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => service.listComments(app.db, currentUser(request).id, request.params.taskId, request.query),
  );

  app.post(
    '/tasks/:taskId/comments',
    {
      config: { idempotent: true },
      schema: {
        ...tasks,
        summary: 'Comment on a task (editor)',
        params: TaskParams,
        body: CreateComment,
        response: { 201: Comment, ...problemResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const comment = await service.addComment(
        requestDb(request, app.db),
        currentUser(request).id,
        request.params.taskId,
        request.body.body,
      );
      return reply.code(201).send(comment);
    },
  );

  app.delete(
    '/tasks/:taskId/comments/:commentId',
    {
      schema: {
        ...tasks,
        summary: 'Delete a comment (its author, or the project owner)',
        params: CommentParams,
        response: { 204: NoContent, ...problemResponses(401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const { taskId, commentId } = request.params;
      await service.deleteComment(app.db, currentUser(request).id, taskId, commentId);
      return reply.code(204).send(null);
    },
  );
};

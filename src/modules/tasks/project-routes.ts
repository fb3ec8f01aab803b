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
import { NoContent, problemResponses } from '../../core/schemas.ts';
import { currentUser } from '../auth/index.ts';
import * as service from './project-service.ts';
import {
  AddMember,
  CreateLabel,
  CreateProject,
  Label,
  LabelParams,
  Member,
  MemberParams,
  Project,
  ProjectPage,
  ProjectParams,
  ProjectQuery,
  UpdateLabel,
  UpdateMember,
  UpdateProject,
} from './schemas.ts';

/** /api/projects: projects, their members and labels. */

const projects = { tags: ['projects'], security: [{ bearerAuth: [] }] };

export const projectRoutes: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/projects',
    {
      config: { idempotent: true },
      schema: {
        ...projects,
        summary: 'Create a project (you become its owner)',
        body: CreateProject,
        response: { 201: Project, ...problemResponses(400, 401, 409, 422) },
      },
    },
    async (request, reply) => {
      const project = await service.createProject(requestDb(request, app.db), currentUser(request).id, request.body);
      setEtag(reply, project.version).header('location', `/api/projects/${project.id}`);
      return reply.code(201).send(project);
    },
  );

  app.get(
    '/projects',
    {
      schema: {
        ...projects,
        summary: 'List the projects you are a member of, newest first',
        querystring: ProjectQuery,
        response: { 200: ProjectPage, ...problemResponses(401, 422) },
      },
    },
    async (request) => service.listProjects(app.db, currentUser(request).id, request.query),
  );

  app.get(
    '/projects/:projectId',
    {
      schema: {
        ...projects,
        summary: 'Get a project',
        params: ProjectParams,
        headers: IfNoneMatchHeaders,
        response: { 200: Project, 304: NotModified, ...problemResponses(401, 404, 422) },
      },
    },
    async (request, reply) => {
      const project = await service.getProject(app.db, currentUser(request).id, request.params.projectId);
      if (notModified(request, reply, project.version)) return reply;
      return setEtag(reply, project.version).send(project);
    },
  );

  app.patch(
    '/projects/:projectId',
    {
      schema: {
        ...projects,
        summary: 'Rename, describe, archive or unarchive a project (owner)',
        params: ProjectParams,
        headers: IfMatchHeaders,
        body: UpdateProject,
        response: { 200: Project, ...problemResponses(400, 401, 403, 404, 412, 422) },
      },
    },
    async (request, reply) => {
      const { id } = currentUser(request);
      const project = await service.updateProject(
        app.db,
        id,
        request.params.projectId,
        request.body,
        expectedVersion(request),
      );
      return setEtag(reply, project.version).send(project);
    },
  );

  app.delete(
    '/projects/:projectId',
    {
      schema: {
        ...projects,
        summary: 'Delete a project and all its tasks (owner)',
        params: ProjectParams,
        headers: IfMatchHeaders,
        response: { 204: NoContent, ...problemResponses(401, 403, 404, 412, 422) },
      },
    },
    async (request, reply) => {
      await service.deleteProject(app.db, currentUser(request).id, request.params.projectId, expectedVersion(request));
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/projects/:projectId/members',
    {
      schema: {
        ...projects,
        summary: "List a project's members",
        params: ProjectParams,
        response: { 200: Type.Object({ items: Type.Array(Member) }), ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => service.listMembers(app.db, currentUser(request).id, request.params.projectId),
  );

  app.post(
    '/projects/:projectId/members',
    {
      config: { idempotent: true },
      schema: {
        ...projects,
        summary: 'Add a member by username or email, as editor or viewer (owner)',
        params: ProjectParams,
        body: AddMember,
        response: { 201: Member, ...problemResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const member = await service.addMember(
        requestDb(request, app.db),
        currentUser(request).id,
        request.params.projectId,
        request.body,
      );
      return reply.code(201).send(member);
    },
  );

  app.patch(
    '/projects/:projectId/members/:userId',
    {
      schema: {
        ...projects,
        summary: "Change a member's role (owner)",
        params: MemberParams,
        body: UpdateMember,
        response: { 200: Member, ...problemResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const { projectId, userId } = request.params;
      return service.changeMemberRole(app.db, currentUser(request).id, projectId, userId, request.body.role);
    },
  );

  app.delete(
    '/projects/:projectId/members/:userId',
    {
      schema: {
        ...projects,
        summary: 'Remove a member (owner), or leave the project (yourself); their tasks are unassigned',
        params: MemberParams,
        response: { 204: NoContent, ...problemResponses(401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { projectId, userId } = request.params;
      await service.removeMember(app, currentUser(request).id, projectId, userId);
      return reply.code(204).send(null);
    },
  );

  app.get(
    '/projects/:projectId/labels',
    {
      schema: {
        ...projects,
        summary: "List a project's labels",
        params: ProjectParams,
        response: { 200: Type.Object({ items: Type.Array(Label) }), ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => service.listLabels(app.db, currentUser(request).id, request.params.projectId),
  );

  app.post(
    '/projects/:projectId/labels',
    {
      config: { idempotent: true },
      schema: {
        ...projects,
        summary: 'Create a label (editor)',
        params: ProjectParams,
        body: CreateLabel,
        response: { 201: Label, ...problemResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const label = await service.createLabel(
        requestDb(request, app.db),
        currentUser(request).id,
        request.params.projectId,
        request.body,
      );
      return reply.code(201).send(label);
    },
  );

  app.patch(
    '/projects/:projectId/labels/:labelId',
    {
      schema: {
        ...projects,
        summary: 'Rename or recolour a label (editor)',
        params: LabelParams,
        body: UpdateLabel,
        response: { 200: Label, ...problemResponses(400, 401, 403, 404, 409, 422) },
      },
    },
    async (request) => {
      const { projectId, labelId } = request.params;
      return service.updateLabel(app.db, currentUser(request).id, projectId, labelId, request.body);
    },
  );

  app.delete(
    '/projects/:projectId/labels/:labelId',
    {
      schema: {
        ...projects,
        summary: 'Delete a label; it is taken off its tasks (editor)',
        params: LabelParams,
        response: { 204: NoContent, ...problemResponses(401, 403, 404, 422) },
      },
    },
    async (request, reply) => {
      const { projectId, labelId } = request.params;
      await service.deleteLabel(app.db, currentUser(request).id, projectId, labelId);
      return reply.code(204).send(null);
    },
  );
};

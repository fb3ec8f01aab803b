import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IfMatchHeaders, ifMatchOf, setEtag } from '../../core/etag.ts';
import { problemResponses } from '../../core/schemas.ts';
import { currentUser } from '../auth/index.ts';
import type { NotesContext } from './context.ts';
import * as service from './revision-service.ts';
import {
  DiffQuery,
  Note,
  NoteParams,
  noteConflictResponse,
  Revision,
  RevisionDiff,
  RevisionPage,
  RevisionParams,
  RevisionQuery,
} from './schemas.ts';

/** /api/notes/{id}/revisions: a note's history, diffs between revisions, and restoring one. */

const tags = { tags: ['notes'], security: [{ bearerAuth: [] }] };

export const revisionRoutes: FastifyPluginAsyncTypebox<{ ctx: NotesContext }> = async (app, { ctx }) => {
  app.get(
    '/notes/:id/revisions',
    {
      schema: {
        ...tags,
        summary: "A note's revisions, newest first (NOTES_REVISIONS_KEPT are kept)",
        params: NoteParams,
        querystring: RevisionQuery,
        response: { 200: RevisionPage, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => service.listRevisions(app.db, currentUser(request).id, request.params.id, request.query),
  );

  app.get(
    '/notes/:id/revisions/:rev',
    {
      schema: {
        ...tags,
        summary: 'One revision, with its body',
        params: RevisionParams,
        response: { 200: Revision, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => service.getRevision(app.db, currentUser(request).id, request.params.id, request.params.rev),
  );

  app.get(
    '/notes/:id/revisions/:rev/diff',
    {
      schema: {
        ...tags,
        summary: 'What changed from revision `against` to this one: title, tags and a line diff of the body',
        params: RevisionParams,
        querystring: DiffQuery,
        response: { 200: RevisionDiff, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) =>
      service.diffRevisions(
        app.db,
        currentUser(request).id,
        request.params.id,
        request.params.rev,
        request.query.against,
      ),
  );

  app.post(
    '/notes/:id/revisions/:rev/restore',
    {
      schema: {
        ...tags,
        summary: 'Bring a revision back (a new version and a new revision; If-Match optional)',
        params: RevisionParams,
        headers: IfMatchHeaders,
        response: {
          200: Note,
          ...noteConflictResponse,
          ...problemResponses(401, 404, 409, 422),
        },
      },
    },
    async (request, reply) => {
      const { id, rev } = request.params;
      const note = await service.restoreRevision(ctx, currentUser(request).id, id, rev, ifMatchOf(request));
      return setEtag(reply, note.version).send(note);
    },
  );
};

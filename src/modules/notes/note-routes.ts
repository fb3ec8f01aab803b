import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { IfMatchHeaders, IfNoneMatchHeaders, ifMatchOf, NotModified, notModified, setEtag } from '../../core/etag.ts';
import { requestDb } from '../../core/idempotency.ts';
import { NoContent, problemResponses } from '../../core/schemas.ts';
import { currentUser } from '../auth/index.ts';
import type { NotesContext } from './context.ts';
import { listNotes } from './note-list-service.ts';
import * as service from './note-service.ts';
import {
  BacklinkPage,
  BacklinkQuery,
  ChangesPage,
  ChangesQuery,
  CreateNote,
  DeleteNoteQuery,
  Note,
  NotePage,
  NoteParams,
  NoteQuery,
  noteConflictResponse,
  TrashQuery,
  UpdateNote,
} from './schemas.ts';
import { changes } from './sync-service.ts';
import { listTrash } from './trash-service.ts';

/** /api/notes: notes, their trash, the sync feed and backlinks. */

const tags = { tags: ['notes'], security: [{ bearerAuth: [] }] };

export const noteRoutes: FastifyPluginAsyncTypebox<{ ctx: NotesContext }> = async (app, { ctx }) => {
  app.post(
    '/notes',
    {
      config: { idempotent: true },
      schema: {
        ...tags,
        summary: 'Create a note (your own `id` allowed, for offline clients; send an Idempotency-Key)',
        body: CreateNote,
        response: { 201: Note, ...problemResponses(400, 401, 409, 422) },
      },
    },
    async (request, reply) => {
      const note = await service.createNote(
        { ...ctx, db: requestDb(request, app.db) },
        currentUser(request).id,
        request.body,
      );
      setEtag(reply, note.version).header('location', `/api/notes/${note.id}`);
      return reply.code(201).send(note);
    },
  );

  app.get(
    '/notes',
    {
      schema: {
        ...tags,
        summary: 'List your notes (newest change first), or search them with `q` (best match first)',
        querystring: NoteQuery,
        response: { 200: NotePage, ...problemResponses(401, 422) },
      },
    },
    async (request) => listNotes(app.db, currentUser(request).id, request.query),
  );

  app.get(
    '/notes/trash',
    {
      schema: {
        ...tags,
        summary: `The trash, most recently deleted first (purged after NOTES_TRASH_DAYS)`,
        querystring: TrashQuery,
        response: { 200: NotePage, ...problemResponses(401, 422) },
      },
    },
    async (request) => listTrash(app.db, currentUser(request).id, request.query),
  );

  app.get(
    '/notes/changes',
    {
      schema: {
        ...tags,
        summary: 'Sync: every note created, changed, trashed or deleted since `cursor`, in commit order',
        querystring: ChangesQuery,
        response: { 200: ChangesPage, ...problemResponses(401, 410, 422) },
      },
    },
    async (request) => changes(app.db, currentUser(request).id, request.query),
  );

  app.get(
    '/notes/:id',
    {
      schema: {
        ...tags,
        summary: 'Get a note (also from the trash)',
        params: NoteParams,
        headers: IfNoneMatchHeaders,
        response: { 200: Note, 304: NotModified, ...problemResponses(401, 404, 422) },
      },
    },
    async (request, reply) => {
      const note = await service.getNote(app.db, currentUser(request).id, request.params.id);
      if (notModified(request, reply, note.version)) return reply;
      return setEtag(reply, note.version).send(note);
    },
  );

  app.patch(
    '/notes/:id',
    {
      schema: {
        ...tags,
        summary: 'Change a note; If-Match is required (428 without, 412 with the current note if it moved on)',
        params: NoteParams,
        headers: IfMatchHeaders,
        body: UpdateNote,
        response: { 200: Note, ...noteConflictResponse, ...problemResponses(401, 404, 409, 422, 428) },
      },
    },
    async (request, reply) => {
      const { id } = currentUser(request);
      const note = await service.updateNote(ctx, id, request.params.id, request.body, ifMatchOf(request));
      return setEtag(reply, note.version).send(note);
    },
  );

  app.delete(
    '/notes/:id',
    {
      schema: {
        ...tags,
        summary: 'Move a note to the trash, or delete it for good (`permanent=true`); If-Match is required',
        params: NoteParams,
        querystring: DeleteNoteQuery,
        headers: IfMatchHeaders,
        response: { 204: NoContent, ...noteConflictResponse, ...problemResponses(401, 404, 422, 428) },
      },
    },
    async (request, reply) => {
      const { id } = currentUser(request);
      await service.deleteNote(ctx, id, request.params.id, ifMatchOf(request), request.query.permanent);
      return reply.code(204).send(null);
    },
  );

  app.post(
    '/notes/:id/restore',
    {
      schema: {
        ...tags,
        summary: 'Take a note out of the trash (If-Match optional)',
        params: NoteParams,
        headers: IfMatchHeaders,
        response: { 200: Note, ...noteConflictResponse, ...problemResponses(401, 404, 409, 422) },
      },
    },
    async (request, reply) => {
      const { id } = currentUser(request);
      const note = await service.restoreNote(ctx, id, request.params.id, ifMatchOf(request));
      return setEtag(reply, note.version).send(note);
    },
  );

  app.get(
    '/notes/:id/backlinks',
    {
      schema: {
        ...tags,
        summary: 'Notes linking here, by `[[title]]` or `/notes/{id}` (newest change first, keyset pages)',
        params: NoteParams,
        querystring: BacklinkQuery,
        response: { 200: BacklinkPage, ...problemResponses(401, 404, 422) },
      },
    },
    async (request) => service.listBacklinks(app.db, currentUser(request).id, request.params.id, request.query),
  );
};

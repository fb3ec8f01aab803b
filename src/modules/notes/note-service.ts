import { randomUUID } from 'node:crypto';
import { AppError, type FieldError, unprocessable } from '../../core/errors.ts';
import { checkIfMatch, type IfMatch } from '../../core/etag.ts';
import type { Db, Trx } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { inTransaction } from '../../db/transactions.ts';
import { cursorScope, decodeCursor, timestampKey, toPage } from '../../lib/cursor.ts';
import { attachFile, detachAll } from '../files/index.ts';
import { allTags, fileReferences, links, normalizeTag } from './content.ts';
import { type NotesContext, noteObject } from './context.ts';
import { noteChanged, noteExists, noteInTrash, noteNotFound, noteNotInTrash } from './errors.ts';
import { iso, toNote } from './mappers.ts';
import * as repo from './note-repository.ts';
import { recordRevision } from './revision-repository.ts';
import type { CreateNoteInput, UpdateNoteInput } from './schemas.ts';
import { insertTombstone, nextSeq } from './sync-repository.ts';

/** Rules for notes: create, read, change, trash and delete; every change feeds sync and history. */

export async function getNote(db: Db, userId: string, noteId: string) {
  const row = await repo.findNote(db, userId, noteId);
  if (!row) throw noteNotFound();
  return toNote(row);
}

/** The note's row, locked for a write; 404 when the caller has no such note. */
export async function lockNote(trx: Trx, userId: string, noteId: string) {
  const row = await repo.findNote(trx, userId, noteId, { lock: true });
  if (!row) throw noteNotFound();
  return row;
}

async function checkNotebook(trx: Trx, userId: string, notebookId: string | null | undefined, errors: FieldError[]) {
  if (notebookId && !(await repo.notebookIsOwn(trx, userId, notebookId))) {
    errors.push({ field: 'body.notebookId', message: 'is not one of your notebooks' });
  }
}

/** Holds the files a body shows (`/api/files/{id}`), so they outlive their upload's orphan clock. */
async function attachReferencedFiles(trx: Trx, userId: string, noteId: string, body: string) {
  for (const fileId of fileReferences(body)) {
    try {
      await attachFile(trx, { ...noteObject(userId, noteId), fileId, userId });
    } catch (error) {
      if (error instanceof AppError && error.statusCode === 404) {
        throw unprocessable([{ field: 'body.body', message: `shows file ${fileId}, which is not one of your files` }]);
      }
      throw error;
    }
  }
}

export interface Content {
  title: string;
  body: string;
  tags: string[];
  notebook_id: string | null;
}

/**
 * What follows a note's content: its links, and a revision of its history (a restore always gets
 * one of its own, naming the revision it brought back).
 */
export async function afterContentChange(
  ctx: NotesContext,
  trx: Trx,
  userId: string,
  noteId: string,
  content: Content,
  restoredFrom?: number,
) {
  await repo.setLinks(trx, userId, noteId, links(content.body));
  await recordRevision(trx, content, {
    ownerId: userId,
    noteId,
    authorId: userId,
    windowSeconds: ctx.config.revisionWindowSeconds,
    keep: ctx.config.revisionsKept,
    ...(restoredFrom === undefined ? {} : { restoredFrom }),
  });
}

const tagsOf = (tags: string[]) => [...new Set(tags.map(normalizeTag))];

/** `fileIds`: files of the user's the note holds besides those its body shows (an import's attachments). */
export async function createNote(
  ctx: NotesContext,
  userId: string,
  input: CreateNoteInput,
  options: { fileIds?: readonly string[] } = {},
) {
  const id = (input.id ?? randomUUID()).toLowerCase();
  await inTransaction(ctx.db, async (trx) => {
    const errors: FieldError[] = [];
    await checkNotebook(trx, userId, input.notebookId, errors);
    if (errors.length) throw unprocessable(errors);
    // Your own id again is a conflict; someone else's is simply free for you (the key is per owner).
    if (await repo.findNote(trx, userId, id)) throw noteExists();
    const content: Content = {
      title: input.title ?? '',
      body: input.body ?? '',
      tags: tagsOf(input.tags ?? []),
      notebook_id: input.notebookId ?? null,
    };
    await attachReferencedFiles(trx, userId, id, content.body);
    for (const fileId of options.fileIds ?? []) {
      await attachFile(trx, { ...noteObject(userId, id), fileId, userId });
    }
    const seq = await nextSeq(trx, userId);
    try {
      await repo.insertNote(trx, {
        owner_id: userId,
        id,
        ...content,
        all_tags: allTags(content.tags, content.body),
        pinned: input.pinned ?? false,
        archived: input.archived ?? false,
        sync_seq: seq,
      });
    } catch (error) {
      // Two creates with one id at once: the second finds the first's row here.
      if (isUniqueViolation(error)) throw noteExists();
      throw error;
    }
    await afterContentChange(ctx, trx, userId, id, content);
  });
  return getNote(ctx.db, userId, id);
}

export async function updateNote(
  ctx: NotesContext,
  userId: string,
  noteId: string,
  input: UpdateNoteInput,
  expected: IfMatch,
) {
  await inTransaction(ctx.db, async (trx) => {
    const row = await lockNote(trx, userId, noteId);
    checkIfMatch(expected, row.version, { required: true, changed: () => noteChanged(toNote(row)) });
    if (row.trashed_at) throw noteInTrash();
    const errors: FieldError[] = [];
    await checkNotebook(trx, userId, input.notebookId, errors);
    if (errors.length) throw unprocessable(errors);
    const content: Content = {
      title: input.title ?? row.title,
      body: input.body ?? row.body,
      tags: input.tags ? tagsOf(input.tags) : row.tags,
      notebook_id: input.notebookId !== undefined ? input.notebookId : row.notebook_id,
    };
    const pinned = input.pinned ?? row.pinned;
    const archived = input.archived ?? row.archived;
    const contentChanged =
      content.title !== row.title ||
      content.body !== row.body ||
      content.notebook_id !== row.notebook_id ||
      content.tags.join('\n') !== row.tags.join('\n');
    // Nothing different: no new version, no sync traffic, no revision.
    if (!contentChanged && pinned === row.pinned && archived === row.archived) return;
    if (content.body !== row.body) await attachReferencedFiles(trx, userId, noteId, content.body);
    const seq = await nextSeq(trx, userId);
    await repo.updateNote(trx, userId, noteId, {
      ...content,
      all_tags: allTags(content.tags, content.body),
      pinned,
      archived,
      sync_seq: seq,
    });
    if (contentChanged) await afterContentChange(ctx, trx, userId, noteId, content);
  });
  return getNote(ctx.db, userId, noteId);
}

/** DELETE: to the trash (restorable), or with `permanent` gone for good (a tombstone for sync). */
export async function deleteNote(
  ctx: NotesContext,
  userId: string,
  noteId: string,
  expected: IfMatch,
  permanent: boolean,
) {
  await inTransaction(ctx.db, async (trx) => {
    const row = await lockNote(trx, userId, noteId);
    checkIfMatch(expected, row.version, { required: true, changed: () => noteChanged(toNote(row)) });
    if (permanent) return destroyNote(trx, userId, noteId);
    if (row.trashed_at) return;
    const seq = await nextSeq(trx, userId);
    await repo.updateNote(trx, userId, noteId, { trashed_at: new Date(), sync_seq: seq });
  });
}

/** Deletes a locked note for good: its files are let go, and a tombstone tells syncing clients. */
export async function destroyNote(trx: Trx, userId: string, noteId: string) {
  await detachAll(trx, noteObject(userId, noteId));
  await repo.deleteNote(trx, userId, noteId);
  await insertTombstone(trx, userId, noteId);
}

/** Takes a note out of the trash. */
export async function restoreNote(ctx: NotesContext, userId: string, noteId: string, expected: IfMatch) {
  await inTransaction(ctx.db, async (trx) => {
    const row = await lockNote(trx, userId, noteId);
    checkIfMatch(expected, row.version, { required: false, changed: () => noteChanged(toNote(row)) });
    if (!row.trashed_at) throw noteNotInTrash();
    const seq = await nextSeq(trx, userId);
    await repo.updateNote(trx, userId, noteId, { trashed_at: null, sync_seq: seq });
  });
  return getNote(ctx.db, userId, noteId);
}

/** GET /api/notes/{id}/backlinks: a page of the notes linking here (404 for a note you do not have). */
export async function listBacklinks(db: Db, userId: string, noteId: string, query: { limit: number; cursor?: string }) {
  const note = await getNote(db, userId, noteId);
  // The note is in the scope: a cursor from another note's backlinks is refused, not misapplied.
  const scope = cursorScope({ list: 'backlinks', noteId: note.id });
  const after = query.cursor
    ? (decodeCursor(query.cursor, scope, ['timestamp', 'uuid']) as [string, string])
    : undefined;
  const rows = await repo
    .backlinksQuery(db, { ownerId: userId, noteId, title: note.title, after, limit: query.limit })
    .execute();
  const page = toPage(rows, query.limit, scope, (row) => [timestampKey(row.updated_at), row.id]);
  return {
    items: page.rows.map((row) => ({ id: row.id, title: row.title, updatedAt: iso(row.updated_at) })),
    nextCursor: page.nextCursor,
  };
}

import { type FieldError, unprocessable } from '../../core/errors.ts';
import { checkIfMatch, type IfMatch } from '../../core/etag.ts';
import type { Db, Trx } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { inTransaction } from '../../db/transactions.ts';
import { cursorScope, decodeCursor, toPage } from '../../lib/cursor.ts';
import type { NotesContext } from './context.ts';
import { notebookChanged, notebookExists, notebookNotFound } from './errors.ts';
import { toNotebook } from './mappers.ts';
import { updateNote } from './note-repository.ts';
import * as repo from './notebook-repository.ts';
import type { UpdateNotebookInput } from './schemas.ts';
import { nextSeq } from './sync-repository.ts';

/**
 * Notebooks: nested folders of notes. Like notes, a notebook's version is its ETag and a PATCH or
 * DELETE must name it (If-Match): 428 without, 412 with the current notebook when it moved on —
 * two devices renaming or moving one notebook offline must not silently undo each other.
 */

export async function getNotebook(db: Db, userId: string, notebookId: string) {
  const row = await repo.findNotebook(db, userId, notebookId);
  if (!row) throw notebookNotFound();
  return toNotebook(row);
}

/** The notebook locked for a write, once If-Match is satisfied; 404 first, so nothing is confirmed. */
async function lockForWrite(trx: Trx, userId: string, notebookId: string, expected: IfMatch) {
  const row = await repo.lockNotebook(trx, userId, notebookId);
  if (!row) throw notebookNotFound();
  checkIfMatch(expected, row.version, { required: true, changed: () => notebookChanged(toNotebook(row)) });
  return row;
}

export async function listNotebooks(db: Db, userId: string, query: { limit: number; cursor?: string }) {
  const scope = cursorScope({ list: 'notebooks' });
  const after = query.cursor ? (decodeCursor(query.cursor, scope, ['string', 'uuid']) as [string, string]) : undefined;
  const rows = await repo.listNotebooks(db, userId, { limit: query.limit, ...(after ? { after } : {}) });
  const page = toPage(rows, query.limit, scope, (row) => [row.name.toLowerCase(), row.id]);
  return { items: page.rows.map(toNotebook), nextCursor: page.nextCursor };
}

/** A parent must be the caller's, and not the notebook itself or one under it. */
async function checkParent(db: Db, userId: string, notebookId: string | null, parentId: string | null | undefined) {
  if (!parentId) return;
  const errors: FieldError[] = [];
  if (!(await repo.findNotebook(db, userId, parentId))) {
    errors.push({ field: 'body.parentId', message: 'is not one of your notebooks' });
  } else if (notebookId && (await repo.subtree(db, notebookId)).includes(parentId)) {
    errors.push({ field: 'body.parentId', message: 'is this notebook or one inside it' });
  }
  if (errors.length) throw unprocessable(errors);
}

async function uniqueName<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (isUniqueViolation(error)) throw notebookExists();
    throw error;
  }
}

export async function createNotebook(db: Db, userId: string, input: { name: string; parentId?: string | null }) {
  const id = await inTransaction(db, async (trx) => {
    await checkParent(trx, userId, null, input.parentId);
    return uniqueName(() => repo.insertNotebook(trx, userId, input.name.trim(), input.parentId ?? null));
  });
  return getNotebook(db, userId, id);
}

export async function updateNotebook(
  db: Db,
  userId: string,
  notebookId: string,
  input: UpdateNotebookInput,
  expected: IfMatch,
) {
  await inTransaction(db, async (trx) => {
    const row = await lockForWrite(trx, userId, notebookId, expected);
    await checkParent(trx, userId, notebookId, input.parentId);
    const name = input.name?.trim() ?? row.name;
    const parentId = input.parentId !== undefined ? input.parentId : row.parent_id;
    // Nothing different: no new version, so copies other clients hold stay current.
    if (name === row.name && parentId === row.parent_id) return;
    await uniqueName(() => repo.updateNotebook(trx, notebookId, { name, parent_id: parentId }));
  });
  return getNotebook(db, userId, notebookId);
}

/**
 * Deletes a notebook and those inside it. Their notes are kept, unfiled — each as a change of its
 * own, so syncing clients learn of it.
 */
export async function deleteNotebook(ctx: NotesContext, userId: string, notebookId: string, expected: IfMatch) {
  await inTransaction(ctx.db, async (trx) => {
    await lockForWrite(trx, userId, notebookId, expected);
    const notes = await repo.lockNotesIn(trx, userId, await repo.subtree(trx, notebookId));
    for (const note of notes) {
      await updateNote(trx, userId, note.id, { notebook_id: null, sync_seq: await nextSeq(trx, userId) });
    }
    await repo.deleteNotebook(trx, notebookId);
  });
}

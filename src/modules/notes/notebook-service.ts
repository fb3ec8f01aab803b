import { type FieldError, unprocessable } from '../../core/errors.ts';
import type { Db } from '../../db/database.ts';
import { isUniqueViolation } from '../../db/errors.ts';
import { inTransaction } from '../../db/transactions.ts';
import { cursorScope, decodeCursor, toPage } from '../../lib/cursor.ts';
import type { NotesContext } from './context.ts';
import { notebookExists, notebookNotFound } from './errors.ts';
import { iso } from './mappers.ts';
import { updateNote } from './note-repository.ts';
import * as repo from './notebook-repository.ts';
import type { UpdateNotebookInput } from './schemas.ts';
import { nextSeq } from './sync-repository.ts';

/** Notebooks: nested folders of notes. */

const toNotebook = (row: repo.NotebookRow) => ({
  id: row.id,
  name: row.name,
  parentId: row.parent_id,
  createdAt: iso(row.created_at),
  updatedAt: iso(row.updated_at),
});

async function getNotebook(db: Db, userId: string, notebookId: string) {
  const row = await repo.findNotebook(db, userId, notebookId);
  if (!row) throw notebookNotFound();
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
  return toNotebook(await getNotebook(db, userId, id));
}

export async function updateNotebook(db: Db, userId: string, notebookId: string, input: UpdateNotebookInput) {
  await inTransaction(db, async (trx) => {
    await getNotebook(trx, userId, notebookId);
    await checkParent(trx, userId, notebookId, input.parentId);
    await uniqueName(() =>
      repo.updateNotebook(trx, notebookId, {
        ...(input.name !== undefined ? { name: input.name.trim() } : {}),
        ...(input.parentId !== undefined ? { parent_id: input.parentId } : {}),
      }),
    );
  });
  return toNotebook(await getNotebook(db, userId, notebookId));
}

/**
 * Deletes a notebook and those inside it. Their notes are kept, unfiled — each as a change of its
 * own, so syncing clients learn of it.
 */
export async function deleteNotebook(ctx: NotesContext, userId: string, notebookId: string) {
  await inTransaction(ctx.db, async (trx) => {
    await getNotebook(trx, userId, notebookId);
    const notes = await repo.lockNotesIn(trx, userId, await repo.subtree(trx, notebookId));
    for (const note of notes) {
      await updateNote(trx, userId, note.id, { notebook_id: null, sync_seq: await nextSeq(trx, userId) });
    }
    await repo.deleteNotebook(trx, notebookId);
  });
}

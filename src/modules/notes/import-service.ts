import { createHash } from 'node:crypto';
import { v5 as uuidv5 } from 'uuid';
import { AppError } from '../../core/errors.ts';
import type { Db, Trx } from '../../db/database.ts';
import { inTransaction } from '../../db/transactions.ts';
import type { FileStore } from '../files/index.ts';
import { normalizeTag, rewriteFileReferences } from './content.ts';
import type { NotesContext } from './context.ts';
import { importNotFound } from './errors.ts';
import { type AttachmentBudget, discardAttachments, storeAttachments } from './import-attachments.ts';
import { type ImportItem, readEnex, readZip } from './import-formats.ts';
import { iso, isoOrNull } from './mappers.ts';
import { findNote } from './note-repository.ts';
import { createNote } from './note-service.ts';
import { findNotebookByName, insertNotebook } from './notebook-repository.ts';
import { MAX_BODY, MAX_TAGS, MAX_TITLE } from './schemas.ts';

/** POST /api/notes/import: the upload is stored and a job imports it; GET reports how it went. */

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const TAG = /^[^\s#,]{1,50}$/;

/** Queues the import's job in the caller's transaction (module.ts wires it to `app.jobs`). */
export type EnqueueImport = (trx: Trx, importId: string) => Promise<void>;

export async function startImport(
  db: Db,
  enqueue: EnqueueImport,
  userId: string,
  format: 'zip' | 'enex',
  content: Buffer,
) {
  const id = await inTransaction(db, async (trx) => {
    const row = await trx
      .insertInto('note_imports')
      .values({ owner_id: userId, format, content })
      .returning('id')
      .executeTakeFirstOrThrow();
    await enqueue(trx, row.id);
    return row.id;
  });
  return getImport(db, userId, id);
}

export async function getImport(db: Db, userId: string, importId: string) {
  const row = await db
    .selectFrom('note_imports')
    .select(['id', 'format', 'status', 'imported', 'skipped', 'created_at', 'finished_at'])
    .where('owner_id', '=', userId)
    .where('id', '=', importId)
    .executeTakeFirst();
  if (!row) throw importNotFound();
  return {
    id: row.id,
    format: row.format,
    status: row.status,
    imported: row.imported,
    skipped: row.skipped,
    createdAt: iso(row.created_at),
    finishedAt: isoOrNull(row.finished_at),
  };
}

/** The notebook at `path`, made where missing. */
async function notebookAt(db: Db, userId: string, path: string[], cache: Map<string, string>) {
  let parentId: string | null = null;
  for (let depth = 0; depth < path.length; depth++) {
    const key = JSON.stringify(path.slice(0, depth + 1));
    let id = cache.get(key);
    if (!id) {
      const name = (path[depth] as string).trim().slice(0, 200) || 'Notebook';
      const parent: string | null = parentId;
      id = await inTransaction(db, async (trx) => {
        const existing = await findNotebookByName(trx, userId, parent, name);
        return existing?.id ?? (await insertNotebook(trx, userId, name, parent));
      });
      cache.set(key, id);
    }
    parentId = id;
  }
  return parentId;
}

/** Why a note cannot be imported as it is, or undefined. */
function problemWith(item: ImportItem): string | undefined {
  const note = item.note;
  if (!note) return item.problem ?? 'unreadable';
  if (note.title.length > MAX_TITLE) return `title longer than ${MAX_TITLE} characters`;
  if (note.body.length > MAX_BODY) return `body longer than ${MAX_BODY} characters`;
  return undefined;
}

/**
 * The id of a note that came without one (every .enex note; a markdown file of another tool): a
 * name-based UUID of its importer, the upload's bytes and its place in them. A job that is retried
 * after importing part of the file, or the same file imported again, finds these notes already
 * there instead of making copies; another user importing the same file gets notes of their own.
 */
const IMPORTED_NOTES = 'a8a5c3b4-6f0e-4d1c-9a57-3c2d0e8f1b26';
function importedNoteId(userId: string, upload: string, index: number): string {
  return uuidv5(`${userId}/${upload}/${index}`, IMPORTED_NOTES);
}

/**
 * The job's work: each note in a transaction of its own, with its attachments stored first as new
 * files of the importer (the body's references rewritten to them); a note already there (same id)
 * is skipped, and so is a note any of whose files is refused — with the reason, never in part.
 */
export async function runImport(ctx: NotesContext, files: FileStore, importId: string) {
  const row = await ctx.db
    .selectFrom('note_imports')
    .select(['owner_id', 'format', 'content', 'status'])
    .where('id', '=', importId)
    .executeTakeFirst();
  if (row?.status !== 'queued' || !row.content) return;
  const userId = row.owner_id;
  // PGlite hands bytea back as a Uint8Array, pg as a Buffer: the readers need a Buffer.
  const content = Buffer.from(row.content);
  const skipped: Array<{ name: string; reason: string }> = [];
  let imported = 0;
  let items: ImportItem[] = [];
  try {
    items = row.format === 'zip' ? await readZip(content) : readEnex(content);
  } catch {
    skipped.push({ name: 'upload', reason: `not a readable ${row.format === 'zip' ? 'zip' : '.enex'} file` });
  }
  const notebooks = new Map<string, string>();
  const budget: AttachmentBudget = { files: ctx.config.importMaxFiles, bytes: ctx.config.importMaxFileBytes };
  // Files stored for the notes that came in, by the id the zip knew them by.
  const storedFiles = new Map<string, string>();
  const upload = createHash('sha256').update(content).digest('hex');
  for (const [index, item] of items.entries()) {
    const problem = problemWith(item);
    if (problem || !item.note) {
      skipped.push({ name: item.name, reason: problem ?? 'unreadable' });
      continue;
    }
    const note = item.note;
    const id = note.id && UUID.test(note.id) ? note.id.toLowerCase() : importedNoteId(userId, upload, index);
    // Checked before its files are stored, so importing a file again stores nothing twice.
    if (await findNote(ctx.db, userId, id)) {
      skipped.push({ name: item.name, reason: 'already imported' });
      continue;
    }
    const stored = await storeAttachments(files, userId, item.attachments ?? [], budget, storedFiles);
    if ('refused' in stored) {
      skipped.push({ name: item.name, reason: stored.refused });
      continue;
    }
    try {
      await createNote(
        ctx,
        userId,
        {
          id,
          title: note.title,
          body: rewriteFileReferences(note.body, stored.ids),
          tags: [...new Set(note.tags.map(normalizeTag))].filter((tag) => TAG.test(tag)).slice(0, MAX_TAGS),
          pinned: note.pinned,
          archived: note.archived,
          notebookId: note.notebook.length ? await notebookAt(ctx.db, userId, note.notebook, notebooks) : null,
        },
        { fileIds: [...stored.ids.values()] },
      );
      imported++;
      budget.files -= stored.fresh.size;
      budget.bytes -= stored.bytes;
      for (const [ref, fileId] of stored.fresh) storedFiles.set(ref, fileId);
    } catch (error) {
      await discardAttachments(files, userId, stored.fresh);
      if (!(error instanceof AppError)) throw error;
      skipped.push({ name: item.name, reason: error.code === 'NOTE_EXISTS' ? 'already imported' : error.message });
    }
  }
  await ctx.db
    .updateTable('note_imports')
    .set({ status: 'done', imported, skipped: JSON.stringify(skipped), content: null, finished_at: new Date() })
    .where('id', '=', importId)
    .execute();
}

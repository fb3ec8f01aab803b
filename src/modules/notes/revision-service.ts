import { formatPatch, structuredPatch } from 'diff';
import { AppError } from '../../core/errors.ts';
import { checkIfMatch, type IfMatch } from '../../core/etag.ts';
import type { Db } from '../../db/database.ts';
import { inTransaction } from '../../db/transactions.ts';
import { cursorScope, decodeCursor, toPage } from '../../lib/cursor.ts';
import { allTags } from './content.ts';
import type { NotesContext } from './context.ts';
import { noteChanged, noteInTrash, revisionNotFound } from './errors.ts';
import { iso, toNote } from './mappers.ts';
import * as noteRepo from './note-repository.ts';
import { afterContentChange, getNote, lockNote } from './note-service.ts';
import * as repo from './revision-repository.ts';
import type { RevisionDiffDto } from './schemas.ts';
import { nextSeq } from './sync-repository.ts';

/** A note's history: list, read, compare, restore. Revisions are recorded by note-service. */

type RevisionRow = Omit<repo.RevisionRow, 'body'>;

function toRevisionFields(row: RevisionRow) {
  return {
    rev: row.rev,
    authorId: row.author_id,
    title: row.title,
    tags: row.tags,
    notebookId: row.notebook_id,
    restoredFrom: row.restored_from,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

export async function listRevisions(db: Db, userId: string, noteId: string, query: { limit: number; cursor?: string }) {
  await getNote(db, userId, noteId);
  const scope = cursorScope({ list: 'note-revisions', noteId });
  const beforeRev = query.cursor ? (decodeCursor(query.cursor, scope, ['integer'])[0] as number) : undefined;
  const rows = await repo.revisionsQuery(db, userId, noteId, { limit: query.limit, beforeRev }).execute();
  const page = toPage(rows, query.limit, scope, (row) => [row.rev]);
  return {
    items: page.rows.map((row) => ({ ...toRevisionFields(row), length: row.length })),
    nextCursor: page.nextCursor,
  };
}

async function findRevision(db: Db, userId: string, noteId: string, rev: number) {
  await getNote(db, userId, noteId);
  const row = await repo.findRevision(db, userId, noteId, rev);
  if (!row) throw revisionNotFound();
  return row;
}

export async function getRevision(db: Db, userId: string, noteId: string, rev: number) {
  const row = await findRevision(db, userId, noteId, rev);
  return { ...toRevisionFields(row), body: row.body };
}

// Myers' diff is quadratic at worst: two unrelated 200 000-character bodies give up, not hang.
const DIFF_TIMEOUT_MS = 2000;

/** What changed from revision `against` to `rev`: title, tags, and a line diff of the body. */
export async function diffRevisions(db: Db, userId: string, noteId: string, rev: number, against: number) {
  const to = await findRevision(db, userId, noteId, rev);
  const from = await findRevision(db, userId, noteId, against);
  const patch = structuredPatch(`rev ${against}`, `rev ${rev}`, from.body, to.body, undefined, undefined, {
    context: 3,
    timeout: DIFF_TIMEOUT_MS,
  });
  if (!patch) throw new AppError(422, 'DIFF_TOO_LARGE', 'These revisions differ too much to compare line by line');
  const lines = patch.hunks.flatMap((hunk) => hunk.lines);
  const added = to.tags.filter((tag) => !from.tags.includes(tag));
  const removed = from.tags.filter((tag) => !to.tags.includes(tag));
  const diff: RevisionDiffDto = {
    from: against,
    to: rev,
    title: from.title === to.title ? null : { from: from.title, to: to.title },
    tags: added.length || removed.length ? { added, removed } : null,
    additions: lines.filter((line) => line.startsWith('+')).length,
    deletions: lines.filter((line) => line.startsWith('-')).length,
    hunks: patch.hunks.map(({ oldStart, oldLines, newStart, newLines, lines }) => ({
      oldStart,
      oldLines,
      newStart,
      newLines,
      lines,
    })),
    patch: formatPatch(patch),
  };
  return diff;
}

/**
 * Brings a revision back: the note takes its title, body, tags and notebook (the notebook only if
 * it still exists), as a change of its own — a new version and a new revision, so nothing is lost.
 */
export async function restoreRevision(
  ctx: NotesContext,
  userId: string,
  noteId: string,
  rev: number,
  expected: IfMatch,
) {
  await inTransaction(ctx.db, async (trx) => {
    const row = await lockNote(trx, userId, noteId);
    checkIfMatch(expected, row.version, { required: false, changed: () => noteChanged(toNote(row)) });
    if (row.trashed_at) throw noteInTrash();
    const revision = await repo.findRevision(trx, userId, noteId, rev);
    if (!revision) throw revisionNotFound();
    const notebookId =
      revision.notebook_id && (await noteRepo.notebookIsOwn(trx, userId, revision.notebook_id))
        ? revision.notebook_id
        : null;
    const content = { title: revision.title, body: revision.body, tags: revision.tags, notebook_id: notebookId };
    const seq = await nextSeq(trx, userId);
    await noteRepo.updateNote(trx, userId, noteId, {
      ...content,
      all_tags: allTags(content.tags, content.body),
      sync_seq: seq,
    });
    await afterContentChange(ctx, trx, userId, noteId, content, rev);
  });
  return getNote(ctx.db, userId, noteId);
}

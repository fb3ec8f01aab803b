import type { NoteRow } from './note-repository.ts';
import type { NotebookRow } from './notebook-repository.ts';
import type { NotebookDto, NoteDto, NoteSummaryDto } from './schemas.ts';

/** The one place rows of this module become API objects. */

export const iso = (value: Date) => value.toISOString();
export const isoOrNull = (value: Date | null) => (value ? value.toISOString() : null);

export const EXCERPT_LENGTH = 300;

export function toNote(row: NoteRow): NoteDto {
  return {
    id: row.id,
    title: row.title,
    body: row.body,
    notebookId: row.notebook_id,
    tags: row.tags,
    allTags: row.all_tags,
    pinned: row.pinned,
    archived: row.archived,
    trashed: row.trashed_at !== null,
    trashedAt: isoOrNull(row.trashed_at),
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

/** A list row: the body is cut to its excerpt in SQL already. */
export type SummaryRow = Omit<NoteRow, 'body'> & { excerpt: string; snippet?: string | null; rank?: number | null };

export function toNoteSummary(row: SummaryRow): NoteSummaryDto {
  const { body: _body, ...note } = toNote({ ...row, body: '' });
  return { ...note, excerpt: row.excerpt, snippet: row.snippet ?? null, rank: row.rank ?? null };
}

export function toNotebook(row: NotebookRow): NotebookDto {
  return {
    id: row.id,
    name: row.name,
    parentId: row.parent_id,
    version: row.version,
    createdAt: iso(row.created_at),
    updatedAt: iso(row.updated_at),
  };
}

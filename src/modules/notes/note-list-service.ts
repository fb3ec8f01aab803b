import { unprocessable } from '../../core/errors.ts';
import type { Db } from '../../db/database.ts';
import { cursorScope, decodeCursor, timestampKey, toPage } from '../../lib/cursor.ts';
import { normalizeTag } from './content.ts';
import { toNoteSummary } from './mappers.ts';
import { noteListQuery, snippetsOf } from './note-list-query.ts';
import type { NoteQueryInput } from './schemas.ts';
import { searchTerms, toSnippet } from './search-terms.ts';

/** GET /api/notes (list and search) and GET /api/notes/trash. */

const RANK = /^\d+(?:\.\d+)?(?:e-?\d+)?$/;

export async function listNotes(db: Db, userId: string, query: NoteQueryInput) {
  const { cursor, limit, ...filters } = query;
  const search = query.q?.trim() ? { q: query.q.trim(), terms: searchTerms(query.q) } : undefined;
  const scope = cursorScope({ list: 'notes', filters: { ...filters, tag: filters.tag && normalizeTag(filters.tag) } });
  let after: [string, string] | undefined;
  if (cursor) {
    after = decodeCursor(cursor, scope, [search ? 'string' : 'timestamp', 'uuid']) as [string, string];
    if (search && !RANK.test(after[0])) {
      throw unprocessable([{ field: 'query.cursor', message: 'is not a valid cursor for this list' }]);
    }
  }
  const updatedAfter = query.updatedAfter ? new Date(query.updatedAfter) : undefined;
  const updatedBefore = query.updatedBefore ? new Date(query.updatedBefore) : undefined;
  const rows = await noteListQuery(db, {
    ownerId: userId,
    filters: {
      tag: query.tag ? normalizeTag(query.tag) : undefined,
      notebookId: query.notebook,
      pinned: query.pinned,
      archived: query.archived,
      updatedAfter,
      updatedBefore,
    },
    search,
    after,
    limit,
  }).execute();
  const page = toPage(rows, limit, scope, (row) =>
    search ? [String(row.rank), row.id] : [timestampKey(row.updated_at), row.id],
  );
  const snippets = search
    ? await snippetsOf(
        db,
        userId,
        page.rows.map((row) => row.id),
        search,
      )
    : undefined;
  return {
    items: page.rows.map((row) => {
      const snippet = snippets?.get(row.id);
      return toNoteSummary({
        ...row,
        snippet: snippet === undefined || !search ? null : toSnippet(snippet, search.terms.include),
      });
    }),
    nextCursor: page.nextCursor,
  };
}

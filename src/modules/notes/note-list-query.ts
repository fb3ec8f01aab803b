import { type Expression, type SqlBool, sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import { PLAN_PER_CALL } from '../../db/preparing-client.ts';
import { EXCERPT_LENGTH } from './mappers.ts';
import { noteColumns } from './note-repository.ts';
import { containsPattern, MARK_END, MARK_START, type SearchTerms } from './search-terms.ts';

/**
 * The note list and search query (GET /api/notes), exported so `explain.test.ts` and the
 * benchmark EXPLAIN exactly what the route runs.
 *
 * Without `q`: newest change first, keyset on (updated_at, id) through notes_owner_updated_idx
 * (or notes_notebook_updated_idx for one notebook), so a page costs the same at any depth.
 * With `q`: the matches (GIN: the tsvector, or trigrams for substrings and CJK) ranked by
 * ts_rank, keyset on (rank, id).
 */

export interface NoteFilters {
  tag?: string | undefined;
  notebookId?: string | undefined;
  pinned?: boolean | undefined;
  archived: boolean;
  updatedAfter?: Date | undefined;
  updatedBefore?: Date | undefined;
}

export interface NoteListParams {
  ownerId: string;
  filters: NoteFilters;
  search?: { q: string; terms: SearchTerms } | undefined;
  /** The (updated_at ISO | rank, id) of the last row of the previous page. */
  after?: [string, string] | undefined;
  limit: number;
}

const tsquery = (q: string) => sql`websearch_to_tsquery('notes_search', ${q})`;
const folded = sql`notes_fold(n.title || ' ' || n.body)`;

/** Every included term is in the text and no excluded one is (trigram index: notes_trgm_idx). */
function substringMatch(terms: SearchTerms): Expression<SqlBool> {
  if (!terms.include.length) return sql<SqlBool>`false`;
  const all = [
    ...terms.include.map((term) => sql`${folded} like notes_fold(${containsPattern(term)})`),
    ...terms.exclude.map((term) => sql`${folded} not like notes_fold(${containsPattern(term)})`),
  ];
  return sql<SqlBool>`(${sql.join(all, sql` and `)})`;
}

export function noteListQuery(db: Db, params: NoteListParams) {
  const { filters: f, search } = params;
  const rank = search ? sql<number | null>`ts_rank(n.search, ${tsquery(search.q)})` : sql<number | null>`null`;
  let query = db
    .selectFrom('notes as n')
    .select(noteColumns.filter((column) => column !== 'n.body'))
    .select([sql<string>`left(n.body, ${sql.lit(EXCERPT_LENGTH)})`.as('excerpt'), rank.as('rank')])
    .where('n.owner_id', '=', params.ownerId)
    .where('n.trashed_at', 'is', null)
    .where('n.archived', '=', f.archived);
  if (f.notebookId) query = query.where('n.notebook_id', '=', f.notebookId);
  if (f.pinned !== undefined) query = query.where('n.pinned', '=', f.pinned);
  if (f.tag) query = query.where('n.all_tags', '@>', sql<string[]>`array[${f.tag}]::text[]`);
  if (f.updatedAfter) query = query.where('n.updated_at', '>=', f.updatedAfter);
  if (f.updatedBefore) query = query.where('n.updated_at', '<', f.updatedBefore);

  if (!search) {
    if (params.after) {
      const [updatedAt, id] = params.after;
      query = query.where(sql<SqlBool>`(n.updated_at, n.id) < (${updatedAt}::timestamptz, ${id}::uuid)`);
    }
    return query
      .orderBy('n.updated_at', 'desc')
      .orderBy('n.id', 'desc')
      .limit(params.limit + 1);
  }

  query = query.where((eb) => eb.or([sql<SqlBool>`n.search @@ ${tsquery(search.q)}`, substringMatch(search.terms)]));
  if (params.after) {
    const [afterRank, id] = params.after;
    query = query.where(sql<SqlBool>`(${rank}, n.id) < (${afterRank}::real, ${id}::uuid)`);
  }
  // Whether an index helps depends on the words (in every note, or in none): plan per call.
  return query
    .orderBy(rank, 'desc')
    .orderBy('n.id', 'desc')
    .limit(params.limit + 1)
    .modifyEnd(PLAN_PER_CALL);
}

/** Highlighted passages of the bodies of one page of search results (at most a page's worth). */
export async function snippetsOf(db: Db, ownerId: string, ids: string[], search: { q: string; terms: SearchTerms }) {
  if (!ids.length) return new Map<string, string>();
  const first = search.terms.include[0] ?? '';
  const options = `StartSel=${MARK_START}, StopSel=${MARK_END}, MaxWords=30, MinWords=12, MaxFragments=2, FragmentDelimiter=" … "`;
  const rows = await sql<{ id: string; snippet: string }>`
    select n.id,
      case
        when n.search @@ ${tsquery(search.q)} then ts_headline('notes_search', left(n.body, 50000), ${tsquery(search.q)}, ${options})
        -- A substring match: the passage around its first place (CJK words, parts of words).
        else substr(n.body, greatest(1, strpos(lower(n.body), lower(${first})) - 60), 200)
      end as snippet
    from notes n where n.owner_id = ${ownerId} and n.id in (${sql.join(ids)})`.execute(db);
  return new Map(rows.rows.map((row) => [row.id, row.snippet]));
}

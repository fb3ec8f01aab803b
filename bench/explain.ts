import type { Db } from '../src/db/database.ts';
import { describePlan, planOf, seqScansOn } from '../src/db/query-plans.ts';
import { commentsOf, feedPage, listPage } from '../src/modules/blog/article-queries.ts';
import { noteListQuery } from '../src/modules/notes/note-list-query.ts';
import { revisionsQuery } from '../src/modules/notes/revision-repository.ts';
import { searchTerms } from '../src/modules/notes/search-terms.ts';
import { taskListQuery } from '../src/modules/tasks/task-list-query.ts';
import { EXPENSE_TABLES, expenseQueries } from './explain-expenses.ts';
import { benchProjectId, benchTag, benchUserId, benchUsername } from './seed.ts';
import { benchNoteId, RARE_WORD } from './seed-notes.ts';

const BIG_TABLES = [
  'blog_articles',
  'blog_article_tags',
  'blog_favorites',
  'blog_comments',
  'blog_follows',
  'tasks',
  ...EXPENSE_TABLES,
  'notes',
  'note_revisions',
];

export interface PlanReport {
  query: string;
  plan: string;
  seqScans: string[];
}

/**
 * EXPLAINs, on the seeded data of one size, the exact queries the list, feed, tag, comments and
 * task routes run (the same builders), so the report shows they stay on indexes at a million rows.
 */
export async function explainPlans(db: Db): Promise<PlanReport[]> {
  const viewer = benchUserId(1);
  const page = { limit: 20, offset: 0 };
  const queries = {
    'articles (global)': listPage(db, viewer, {}, page),
    'articles by tag': listPage(db, viewer, { tag: benchTag(1) }, page),
    'articles by author': listPage(db, viewer, { author: benchUsername(2) }, page),
    'articles favorited by': listPage(db, viewer, { favorited: benchUsername(3) }, page),
    feed: feedPage(db, viewer, page),
    comments: commentsOf(db, 1, viewer),
    'tasks of a project (todo, by due)': taskListQuery(db, {
      projectId: benchProjectId(1),
      userId: viewer,
      filters: { status: ['todo'] },
      sort: 'due',
      order: 'asc',
      limit: 20,
    }),
    'my tasks (assigned to me, by due)': taskListQuery(db, {
      userId: viewer,
      filters: { assigneeId: viewer },
      sort: 'due',
      order: 'asc',
      limit: 20,
    }),
    'my tasks (text search)': taskListQuery(db, {
      userId: viewer,
      filters: { q: 'review' },
      sort: 'created',
      order: 'desc',
      limit: 20,
    }),
    ...expenseQueries(db),
    'notes list': noteListQuery(db, { ownerId: viewer, filters: { archived: false }, limit: 20 }),
    'notes search': noteListQuery(db, {
      ownerId: viewer,
      filters: { archived: false },
      search: { q: RARE_WORD, terms: searchTerms(RARE_WORD) },
      limit: 20,
    }),
    'notes search (CJK substring)': noteListQuery(db, {
      ownerId: viewer,
      filters: { archived: false },
      search: { q: '東京タワー', terms: searchTerms('東京タワー') },
      limit: 20,
    }),
    'note revisions': revisionsQuery(db, viewer, benchNoteId(1, 0), { limit: 20 }),
  };
  const reports: PlanReport[] = [];
  for (const [name, query] of Object.entries(queries)) {
    const plan = await planOf(query);
    reports.push({ query: name, plan: describePlan(plan), seqScans: seqScansOn(plan, BIG_TABLES) });
  }
  return reports;
}

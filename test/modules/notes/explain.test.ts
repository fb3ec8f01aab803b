import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { COMMON_WORD, RARE_WORD, seedNotesSql } from '../../../bench/seed-notes.ts';
import { indexesUsed, planOf } from '../../../src/db/query-plans.ts';
import { type NoteFilters, noteListQuery } from '../../../src/modules/notes/note-list-query.ts';
import { backlinksQuery } from '../../../src/modules/notes/note-repository.ts';
import { revisionsQuery } from '../../../src/modules/notes/revision-repository.ts';
import { searchTerms } from '../../../src/modules/notes/search-terms.ts';
import { changesQuery } from '../../../src/modules/notes/sync-repository.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { createUser } from '../../helpers/users.ts';

/**
 * The note list, search, history, sync and backlinks queries are index-backed: on a seeded,
 * analysed table of several users' notes and links, no plan of the exact queries the routes run
 * reads `notes`, `note_revisions`, `note_tombstones` or `note_links` with a sequential scan.
 */

const app: FastifyInstance = await buildTestApp();
const NOTES = 20_000;

test('note queries use indexes for every filter, search and page (EXPLAIN on a seeded table)', async (t) => {
  const users = [];
  for (let i = 0; i < 10; i++) users.push(await createUser(app, `explain${i}`));
  const ids = `array[${users.map((u) => `'${u.id}'::uuid`).join(', ')}]`;
  for (const statement of seedNotesSql(NOTES, `(${ids})[1 + g % ${users.length}]`)) {
    await sql.raw(statement).execute(app.db);
  }
  const [notebook] = (
    await sql<{ id: string }>`
      insert into note_notebooks (owner_id, name) values (${users[0]?.id}, 'Book') returning id`.execute(app.db)
  ).rows;
  await sql`update notes set notebook_id = ${notebook?.id} where owner_id = ${users[0]?.id} and sync_seq % 7 = 0`.execute(
    app.db,
  );
  // Deletions the sync feed merges in.
  await sql
    .raw(`
    insert into note_tombstones (owner_id, sync_seq, note_id)
    select (${ids})[1 + g % ${users.length}], ${NOTES} + g, md5('gone' || g)::uuid from generate_series(1, 5000) g`)
    .execute(app.db);
  const me = users[0]?.id as string;
  const [someNote] = (
    await sql<{ id: string; title: string }>`select id, title from notes where owner_id = ${me} limit 1`.execute(app.db)
  ).rows;
  // Links: every note links to one of its owner's notes by id and to another by title; a third of
  // my notes link to someNote as well (a note most others link to, paged through many pages).
  await sql`
    insert into note_links (owner_id, source_id, target_id)
    select owner_id, id, md5('note' || (sync_seq + ${users.length}))::uuid from notes`.execute(app.db);
  await sql`
    insert into note_links (owner_id, source_id, target_title)
    select s.owner_id, s.id, notes_fold(t.title)
    from notes s join notes t on t.owner_id = s.owner_id and t.sync_seq = s.sync_seq + ${2 * users.length}`.execute(
    app.db,
  );
  await sql`
    insert into note_links (owner_id, source_id, target_id)
    select owner_id, id, ${someNote?.id} from notes where owner_id = ${me} and sync_seq % 3 = 0`.execute(app.db);
  const [fewLinks] = (
    await sql<{ id: string; title: string }>`
      select id, title from notes where owner_id = ${me} and id <> ${someNote?.id} order by sync_seq limit 1`.execute(
      app.db,
    )
  ).rows;
  await sql`analyze`.execute(app.db);

  const filters: Record<string, Partial<NoteFilters>> = {
    none: {},
    pinned: { pinned: true },
    archived: { archived: true },
    tag: { tag: 'alpha' },
    notebook: { notebookId: notebook?.id },
    updatedRange: { updatedAfter: new Date(Date.now() - 86_400_000), updatedBefore: new Date() },
  };
  const searches = [RARE_WORD, COMMON_WORD, '"note 42"', 'alpha -bravo', '東京タワー', 'zeph', undefined];
  const queries: Array<[string, Parameters<typeof planOf>[0]]> = [];
  for (const [name, filter] of Object.entries(filters)) {
    for (const q of searches) {
      for (const page of ['first', 'next'] as const) {
        const after: [string, string] | undefined =
          page === 'next' ? [q ? '0.05' : new Date().toISOString(), '80000000-0000-4000-8000-000000000000'] : undefined;
        queries.push([
          `filter=${name} q=${q ?? '-'} page=${page}`,
          noteListQuery(app.db, {
            ownerId: me,
            filters: { archived: false, ...filter },
            search: q ? { q, terms: searchTerms(q) } : undefined,
            after,
            limit: 20,
          }),
        ]);
      }
    }
  }
  queries.push(['revisions', revisionsQuery(app.db, me, someNote?.id as string, { limit: 20 })]);
  queries.push(['changes', changesQuery(app.db, me, 100, 100)]);
  for (const [name, note] of Object.entries({ hub: someNote, few: fewLinks })) {
    for (const page of ['first', 'next'] as const) {
      const after: [string, string] | undefined =
        page === 'next' ? [new Date().toISOString(), '80000000-0000-4000-8000-000000000000'] : undefined;
      const params = { ownerId: me, noteId: note?.id as string, title: note?.title as string, after, limit: 20 };
      queries.push([`backlinks ${name} page=${page}`, backlinksQuery(app.db, params)]);
    }
  }

  const failures: string[] = [];
  const used = new Map<string, number>();
  for (const [name, query] of queries) {
    const plan = await planOf(query);
    const scans = plan.filter((node) =>
      ['notes', 'note_revisions', 'note_tombstones', 'note_links'].includes(node['Relation Name'] ?? ''),
    );
    for (const node of scans) {
      const key = `${node['Node Type']}${node['Index Name'] ? ` ${node['Index Name']}` : ''}`;
      used.set(key, (used.get(key) ?? 0) + 1);
    }
    if (scans.some((node) => node['Node Type'] === 'Seq Scan')) failures.push(name);
    // Backlinks are found from the target's side (its id or folded title), not by reading every link.
    if (name.startsWith('backlinks') && !indexesUsed(plan).has('note_links_target_id_idx')) {
      failures.push(`${name} (not through note_links_target_id_idx)`);
    }
  }
  t.diagnostic(`${queries.length} plans; scans: ${[...used].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  assert.deepEqual(failures, [], `sequential scans (or no index) in ${failures.length} of ${queries.length} plans`);
});

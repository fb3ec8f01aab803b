import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { COMMON_WORD, RARE_WORD, seedNotesSql } from '../../../bench/seed-notes.ts';
import { planOf } from '../../../src/db/query-plans.ts';
import { type NoteFilters, noteListQuery } from '../../../src/modules/notes/note-list-query.ts';
import { revisionsQuery } from '../../../src/modules/notes/revision-repository.ts';
import { searchTerms } from '../../../src/modules/notes/search-terms.ts';
import { changesQuery } from '../../../src/modules/notes/sync-repository.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { createUser } from '../../helpers/users.ts';

/**
 * The note list, search, history and sync queries are index-backed: on a seeded, analysed table
 * of several users' notes, no plan of the exact queries the routes run reads `notes` or
 * `note_revisions` with a sequential scan.
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
  await sql`analyze`.execute(app.db);
  const me = users[0]?.id as string;
  const [someNote] = (await sql<{ id: string }>`select id from notes where owner_id = ${me} limit 1`.execute(app.db))
    .rows;

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

  const failures: string[] = [];
  const used = new Map<string, number>();
  for (const [name, query] of queries) {
    const scans = (await planOf(query)).filter((node) =>
      ['notes', 'note_revisions', 'note_tombstones'].includes(node['Relation Name'] ?? ''),
    );
    for (const node of scans) {
      const key = `${node['Node Type']}${node['Index Name'] ? ` ${node['Index Name']}` : ''}`;
      used.set(key, (used.get(key) ?? 0) + 1);
    }
    if (scans.some((node) => node['Node Type'] === 'Seq Scan')) failures.push(name);
  }
  t.diagnostic(`${queries.length} plans; scans: ${[...used].map(([k, n]) => `${k} ×${n}`).join(', ')}`);
  assert.deepEqual(failures, [], `sequential scans in ${failures.length} of ${queries.length} plans`);
});

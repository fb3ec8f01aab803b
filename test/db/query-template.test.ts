import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { sql } from 'kysely';
import { createDatabase, type Db } from '../../src/db/database.ts';
import { queryTemplate } from '../../src/db/query-template.ts';
import { feedPage, listPage } from '../../src/modules/blog/article-queries.ts';

// Compiling needs no connection: the pool never connects.
const db = createDatabase({ kind: 'postgres', url: 'postgres://nobody@127.0.0.1:1/none', poolMax: 1 });
after(() => db.destroy());

const VIEWERS = [null, '24c9e15e-52af-c47c-225b-757e7bee1f9d', '0b9f2c4e-9a7e-4c1a-8a34-2f7f4f0e1d11'];
const FILTERS = [{}, { tag: 'dragons' }, { author: 'Jake' }, { favorited: 'ann' }, { tag: "o'hara", author: 'Jake' }];
const PAGES = [
  { limit: 20, offset: 0 },
  { limit: 5, offset: 40 },
];

test('a template compiles to exactly what a fresh build does, for every shape and value', () => {
  const listTemplate = queryTemplate(listPage);
  const feedTemplate = queryTemplate(feedPage);
  // Twice over, so the second round comes from the cache with other values than the first built it.
  for (const round of [0, 1]) {
    for (const viewer of VIEWERS) {
      for (const filters of FILTERS) {
        for (const page of PAGES) {
          const values = round ? Object.fromEntries(Object.entries(filters).map(([k, v]) => [k, `${v}-2`])) : filters;
          const fresh = listPage(db, viewer, values, page).compile();
          const templated = listTemplate(db, viewer, values, page);
          assert.equal(templated.sql, fresh.sql);
          assert.deepEqual(templated.parameters, fresh.parameters);
        }
      }
      for (const page of PAGES) {
        if (viewer === null) continue;
        const fresh = feedPage(db, viewer, page).compile();
        assert.deepEqual(
          { sql: feedTemplate(db, viewer, page).sql, parameters: feedTemplate(db, viewer, page).parameters },
          { sql: fresh.sql, parameters: fresh.parameters },
        );
      }
    }
  }
});

test('a string that shapes the SQL, or is changed on its way, is refused', () => {
  const rawName = queryTemplate((db: Db, column: string) => db.selectFrom('users').select(sql.ref(column).as('x')));
  assert.throws(() => rawName(db, 'email'), /shapes the SQL/);
  const lowered = queryTemplate((db: Db, email: string) =>
    db.selectFrom('users').select('id').where('email', '=', email.toLowerCase()),
  );
  assert.throws(() => lowered(db, 'Ann@Example.com'), /changed before it reached the query/);
});

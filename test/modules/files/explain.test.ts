import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { planOf, seqScansOn } from '../../../src/db/query-plans.ts';
import { attachedFilesOfQuery, attachedFilesQuery } from '../../../src/modules/files/attachment-repository.ts';
import { fileListQuery, usedBytesQuery } from '../../../src/modules/files/file-repository.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { createUser } from '../../helpers/users.ts';

/**
 * The files queries every request runs are index-backed: on seeded, analysed tables, none of the
 * exact queries the module runs reads `files` or `file_attachments` with a sequential scan.
 */

const app = await buildTestApp();
const FILES = 20_000;
const OWNERS = 50;

test('file list, quota sum and attachment lists use indexes (EXPLAIN on seeded tables)', async () => {
  const users = [];
  for (let i = 0; i < 3; i += 1) users.push(await createUser(app, 'filer'));
  const me = users[0];
  assert.ok(me);
  // Files spread over many owners (the seeded ones are aliases of three real users: what matters
  // is that one owner is a small share of the table).
  await sql`
    insert into files (owner_id, status, purpose, name, content_type, size, sha256, storage_key, created_at)
    select case when g % ${OWNERS} = 0 then ${me.id}::uuid else ${users[1]?.id}::uuid end,
           case when g % 10 = 0 then 'deleted' else 'ready' end,
           'attachment', 'f' || g, 'text/plain', g, repeat('a', 64), 'files/seed-' || g,
           now() - make_interval(secs => g)
    from generate_series(1, ${FILES}) g`.execute(app.db);
  await sql`
    insert into file_attachments (file_id, object_type, object_id)
    select id, 'note', 'note-' || (row_number() over () % 2000) from files`.execute(app.db);
  // Messages carry a file or two, not ten: a page of them asks for about as many files as messages.
  await sql`
    insert into file_attachments (file_id, object_type, object_id)
    select id, 'message', 'm-' || row_number() over () from files where status = 'ready' limit 5000`.execute(app.db);
  await sql`analyze files`.execute(app.db);
  await sql`analyze file_attachments`.execute(app.db);

  const queries = {
    'file list (first page)': fileListQuery(app.db, me.id, 51),
    'file list (next page)': fileListQuery(app.db, me.id, 51, { createdAt: new Date().toISOString(), id: me.id }),
    'quota sum': usedBytesQuery(app.db, me.id),
    'attachments of an object': attachedFilesQuery(app.db, { objectType: 'note', objectId: 'note-7' }),
    'attachments of a page of objects': attachedFilesOfQuery(
      app.db,
      'message',
      Array.from({ length: 50 }, (_, i) => `m-${i * 7 + 1}`),
    ),
  };
  for (const [name, query] of Object.entries(queries)) {
    const plan = await planOf(query);
    assert.deepEqual(seqScansOn(plan, ['files', 'file_attachments']), [], `${name}: ${JSON.stringify(plan)}`);
  }
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { setTimeout } from 'node:timers/promises';
import type { FastifyInstance } from 'fastify';
import { sql } from 'kysely';
import { purgeTrash } from '../../../src/modules/notes/trash-service.ts';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { as, type Call, createUser, fieldsOf } from '../../helpers/users.ts';
import { createNote, editNote, type NoteBody } from './helpers.ts';

const app: FastifyInstance = await buildTestApp({ NOTES_SYNC_RETENTION_DAYS: '30' });
const ifMatch = (version: number) => ({ 'if-match': `"${version}"` });

interface Change {
  id: string;
  deleted: boolean;
  note: NoteBody | null;
}

/** A client's replica: applies the feed from its cursor until nothing more waits. */
async function sync(call: Call, replica: Map<string, NoteBody>, cursor?: string) {
  let next = cursor;
  for (;;) {
    const res = await call('GET', `/api/notes/changes?limit=3${next ? `&cursor=${next}` : ''}`);
    assert.equal(res.statusCode, 200, res.body);
    const page = res.json() as { items: Change[]; nextCursor: string; hasMore: boolean };
    for (const change of page.items) {
      if (change.deleted) replica.delete(change.id);
      else replica.set(change.id, change.note as NoteBody);
    }
    next = page.nextCursor;
    if (!page.hasMore) return next;
  }
}

describe('notes sync feed', () => {
  test('changes in commit order with tombstones; pages by cursor', async () => {
    const me = await createUser(app, 'sync');
    const call = as(app, me);
    const a = await createNote(app, me, { title: 'A' });
    const b = await createNote(app, me, { title: 'B' });
    const first = (await call('GET', '/api/notes/changes?limit=1')).json();
    assert.deepEqual(
      first.items.map((c: Change) => c.note?.title),
      ['A'],
    );
    assert.equal(first.hasMore, true);
    const second = (await call('GET', `/api/notes/changes?cursor=${first.nextCursor}`)).json();
    assert.deepEqual(
      second.items.map((c: Change) => c.note?.title),
      ['B'],
    );
    assert.equal(second.hasMore, false);
    // Nothing new: the same cursor comes back.
    const idle = (await call('GET', `/api/notes/changes?cursor=${second.nextCursor}`)).json();
    assert.deepEqual(idle, { items: [], nextCursor: second.nextCursor, hasMore: false });

    await editNote(app, me, a, { body: 'edited' });
    await call('DELETE', `/api/notes/${b.id}`, undefined, ifMatch(1));
    const c = await createNote(app, me, { title: 'C' });
    await call('DELETE', `/api/notes/${c.id}?permanent=true`, undefined, ifMatch(1));
    const later = (await call('GET', `/api/notes/changes?cursor=${second.nextCursor}`)).json();
    assert.deepEqual(
      later.items.map((ch: Change) => [ch.id, ch.deleted, ch.note?.body ?? null, ch.note?.trashed ?? null]),
      [
        [a.id, false, 'edited', false],
        [b.id, false, '', true],
        [c.id, true, null, null],
      ],
    );
  });

  test('two clients editing offline: the second gets 412, merges, and neither edit is lost', async () => {
    const me = await createUser(app, 'twoclients');
    const laptop = new Map<string, NoteBody>();
    const phone = new Map<string, NoteBody>();
    const call = as(app, me);
    const note = await createNote(app, me, { title: 'Shopping', body: 'milk\n' });
    let laptopCursor = await sync(call, laptop);
    let phoneCursor = await sync(call, phone);

    // Both edit version 1 offline, then come online.
    const fromLaptop = await call('PATCH', `/api/notes/${note.id}`, { body: 'milk\neggs\n' }, ifMatch(1));
    assert.equal(fromLaptop.statusCode, 200);
    const fromPhone = await call('PATCH', `/api/notes/${note.id}`, { body: 'bread\nmilk\n' }, ifMatch(1));
    const conflict = assertProblem(fromPhone, 412, 'PRECONDITION_FAILED') as unknown as { current: NoteBody };
    // The phone merges its edit into the current note and retries on that version.
    assert.equal(conflict.current.body, 'milk\neggs\n');
    const merged = await call(
      'PATCH',
      `/api/notes/${note.id}`,
      { body: 'bread\nmilk\neggs\n' },
      ifMatch(conflict.current.version),
    );
    assert.equal(merged.statusCode, 200);

    laptopCursor = await sync(call, laptop, laptopCursor);
    phoneCursor = await sync(call, phone, phoneCursor);
    assert.equal(laptop.get(note.id)?.body, 'bread\nmilk\neggs\n');
    assert.deepEqual(phone.get(note.id), laptop.get(note.id));
    assert.ok(laptopCursor && phoneCursor);
  });

  test('a reader syncing while many writes commit concurrently misses none of them', async () => {
    const me = await createUser(app, 'concurrent');
    const call = as(app, me);
    const notes = await Promise.all(Array.from({ length: 8 }, (_, i) => createNote(app, me, { title: `n${i}` })));
    const replica = new Map<string, NoteBody>();
    let cursor = await sync(call, replica);
    let writing = true;
    const writes = (async () => {
      await Promise.all(
        notes.flatMap((note) => [
          (async () => {
            let version = note.version;
            for (let round = 0; round < 3; round++) {
              const res = await call('PATCH', `/api/notes/${note.id}`, { body: `round ${round}` }, ifMatch(version));
              assert.equal(res.statusCode, 200, res.body);
              version = res.json().version;
            }
          })(),
          createNote(app, me, { title: `new for ${note.title}` }),
        ]),
      );
    })().finally(() => {
      writing = false;
    });
    // A client polls (a tight loop would starve the writers on PGlite's single connection).
    while (writing) {
      cursor = await sync(call, replica, cursor);
      await setTimeout(5);
    }
    await writes;
    cursor = await sync(call, replica, cursor);
    const truth = (await call('GET', '/api/notes?limit=100')).json().items as NoteBody[];
    assert.equal(replica.size, truth.length);
    for (const note of truth) assert.equal(replica.get(note.id)?.version, note.version, note.title);
  });

  test('a cursor older than the retention of deletions answers 410; a full resync works', async () => {
    const me = await createUser(app, 'expired');
    const call = as(app, me);
    const note = await createNote(app, me, { title: 'gone soon' });
    const cursor = await sync(call, new Map());
    await call('DELETE', `/api/notes/${note.id}?permanent=true`, undefined, ifMatch(1));
    await sql`update note_tombstones set deleted_at = now() - interval '31 days' where note_id = ${note.id}`.execute(
      app.db,
    );
    await purgeTrash({ db: app.db, config: app.config.notes });
    assertProblem(await call('GET', `/api/notes/changes?cursor=${cursor}`), 410, 'CURSOR_EXPIRED');
    const full = (await call('GET', '/api/notes/changes')).json();
    assert.deepEqual(full.items, []);
    // The cursor of the full resync is good again.
    assert.equal((await call('GET', `/api/notes/changes?cursor=${full.nextCursor}`)).statusCode, 200);
  });

  test('422 for a cursor the server did not make, 401 without a token; other users’ changes never show', async () => {
    const me = await createUser(app, 'feedowner');
    const other = await createUser(app, 'feedother');
    await createNote(app, other, { title: 'not mine' });
    const call = as(app, me);
    assert.deepEqual(fieldsOf(await call('GET', '/api/notes/changes?cursor=abc')), ['query.cursor']);
    assert.deepEqual(fieldsOf(await call('GET', '/api/notes/changes?limit=0')), ['query.limit']);
    assertProblem(await as(app, null)('GET', '/api/notes/changes'), 401, 'UNAUTHORIZED');
    assert.deepEqual((await call('GET', '/api/notes/changes')).json().items, []);
  });
});

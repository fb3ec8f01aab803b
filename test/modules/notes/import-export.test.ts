import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { as, createUser, fieldsOf } from '../../helpers/users.ts';
import { createNote, importAs, zipEntries } from './helpers.ts';

const app: FastifyInstance = await buildTestApp();

describe('notes import and export', () => {
  test('export streams a zip of markdown with front matter in notebook folders; import brings it back', async () => {
    const me = await createUser(app, 'exporter');
    const call = as(app, me);
    const travel = (await call('POST', '/api/notes/notebooks', { name: 'Travel' })).json();
    const japan = (await call('POST', '/api/notes/notebooks', { name: 'Japan', parentId: travel.id })).json();
    const kyoto = await createNote(app, me, {
      title: 'Kyoto: day 1',
      body: 'Temples. #travel\n\n---\nnot front matter',
      tags: ['japan'],
      notebookId: japan.id,
      pinned: true,
    });
    await createNote(app, me, { title: 'Loose', body: '会议记录' });
    const trashed = await createNote(app, me, { title: 'Trashed' });
    await call('DELETE', `/api/notes/${trashed.id}`, undefined, { 'if-match': '"1"' });

    const res = await call('GET', '/api/notes/export');
    assert.equal(res.statusCode, 200);
    assert.equal(res.headers['content-type'], 'application/zip');
    assert.match(String(res.headers['content-disposition']), /attachment; filename="notes.zip"/);
    const entries = await zipEntries(res.rawPayload);
    assert.deepEqual([...entries.keys()].sort(), ['Loose.md', 'Travel/Japan/Kyoto  day 1.md']);
    const markdown = entries.get('Travel/Japan/Kyoto  day 1.md')?.toString('utf8') ?? '';
    assert.match(
      markdown,
      /^---\nid: "[0-9a-f-]{36}"\ntitle: "Kyoto: day 1"\ntags: \["japan"\]\nnotebook: \["Travel","Japan"\]\npinned: true\n/,
    );
    assert.ok(markdown.endsWith('---\nTemples. #travel\n\n---\nnot front matter'));

    // Into another account: the same notes, notebooks made, ids kept (they are per owner).
    const other = await createUser(app, 'importer');
    const report = await importAs(app, other, res.rawPayload, 'zip');
    assert.equal(report.imported, 2, JSON.stringify(report));
    assert.deepEqual(report.skipped, []);
    assert.equal(report.status, 'done');
    const copy = (await as(app, other)('GET', `/api/notes/${kyoto.id}`)).json();
    assert.equal(copy.title, kyoto.title);
    assert.equal(copy.body, kyoto.body);
    assert.deepEqual(copy.tags, kyoto.tags);
    assert.deepEqual(copy.allTags, kyoto.allTags);
    assert.equal(copy.pinned, true);
    const books = (await as(app, other)('GET', '/api/notes/notebooks')).json().items;
    assert.deepEqual(books.map((b: { name: string }) => b.name).sort(), ['Japan', 'Travel']);
    assert.equal(books.find((b: { id: string }) => b.id === copy.notebookId)?.name, 'Japan');

    // Importing the same zip again skips what is already there.
    const again = await importAs(app, other, res.rawPayload, 'zip');
    assert.equal(again.imported, 0);
    assert.deepEqual(
      again.skipped.map((s: { reason: string }) => s.reason),
      ['already imported', 'already imported'],
    );
  });

  test('Evernote .enex: notes, tags and text come in', async () => {
    const me = await createUser(app, 'evernote');
    const enex = `<?xml version="1.0" encoding="UTF-8"?>
<!DOCTYPE en-export SYSTEM "http://xml.evernote.com/pub/evernote-export4.dtd">
<en-export export-date="20240101T000000Z" application="Evernote">
  <note>
    <title>Groceries &amp; more</title>
    <content><![CDATA[<?xml version="1.0" encoding="UTF-8"?><en-note><div>Milk</div><div>Caf&eacute; &amp; bread<br/></div><ul><li>eggs</li></ul></en-note>]]></content>
    <created>20231201T101500Z</created>
    <tag>Shopping</tag>
    <tag>home</tag>
  </note>
  <note>
    <title>${'x'.repeat(600)}</title>
    <content><![CDATA[<en-note>too long a title</en-note>]]></content>
  </note>
</en-export>`;
    const report = await importAs(app, me, Buffer.from(enex), 'enex');
    assert.equal(report.imported, 1);
    assert.equal(report.skipped.length, 1);
    assert.match(report.skipped[0]?.reason ?? '', /title longer than 500/);
    const notes = (await as(app, me)('GET', '/api/notes')).json().items;
    assert.equal(notes.length, 1);
    const note = (await as(app, me)('GET', `/api/notes/${notes[0].id}`)).json();
    assert.equal(note.title, 'Groceries & more');
    assert.equal(note.body, 'Milk\nCafé & bread\n\n- eggs');
    assert.deepEqual(note.tags, ['shopping', 'home']);

    // .enex notes carry no id: theirs is derived from the importer and the file, so the same file
    // again (or a retried job) adds nothing, while someone else importing it gets notes of their own.
    const again = await importAs(app, me, Buffer.from(enex), 'enex');
    assert.equal(again.imported, 0);
    assert.deepEqual(
      again.skipped.map((skip) => skip.reason),
      ['already imported', report.skipped[0]?.reason],
    );
    assert.equal((await as(app, me)('GET', '/api/notes')).json().items.length, 1);
    const friend = await createUser(app, 'evernote2');
    assert.equal((await importAs(app, friend, Buffer.from(enex), 'enex')).imported, 1);
  });

  test('a broken upload is reported; 422, 404 and 401', async () => {
    const me = await createUser(app, 'broken');
    const report = await importAs(app, me, Buffer.from('not a zip at all'), 'zip');
    assert.deepEqual(report.skipped, [{ name: 'upload', reason: 'not a readable zip file' }]);
    const call = as(app, me);
    const empty = await call('POST', '/api/notes/import', Buffer.alloc(0), { 'content-type': 'application/zip' });
    assert.deepEqual(fieldsOf(empty), ['body']);
    assert.deepEqual(
      fieldsOf(
        await call('POST', '/api/notes/import?format=pdf', Buffer.from('x'), { 'content-type': 'application/zip' }),
      ),
      ['query.format'],
    );
    const other = await createUser(app, 'notmine');
    assertProblem(await as(app, other)('GET', `/api/notes/imports/${report.id}`), 404, 'IMPORT_NOT_FOUND');
    assertProblem(await as(app, null)('GET', '/api/notes/export'), 401, 'UNAUTHORIZED');
    assertProblem(
      await as(app, null)('POST', '/api/notes/import', Buffer.from('x'), { 'content-type': 'application/zip' }),
      401,
      'UNAUTHORIZED',
    );
  });
});

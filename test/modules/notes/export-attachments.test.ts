import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { as, createUser, type TestUser } from '../../helpers/users.ts';
import { localHarness, photo, sha256, upload } from '../files/support.ts';
import { createNote, importAs, makeZip, zipEntries } from './helpers.ts';

/** The notes zip carries each note's files; importing it (or an .enex) makes them the importer's. */

const MAX_BYTES = 200_000;
const storage = localHarness();
const app: FastifyInstance = await buildTestApp({
  ...storage.env,
  FILES_MAX_BYTES: String(MAX_BYTES),
  // Small enough for a test to reach: two notes of two files each cannot both come in.
  NOTES_IMPORT_MAX_FILES: '3',
});

let address: string | undefined;
/** The app on a real socket (listening once), for the tests that read the export as a client does. */
async function baseUrl() {
  address ??= await app.listen({ port: 0, host: '127.0.0.1' });
  return address;
}

async function uploadAs(user: TestUser, bytes: Buffer, filename: string, type: string) {
  const res = await upload(app, user.token, bytes, { filename, type });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: string; name: string; sha256: string; size: number; contentType: string };
}

async function attachmentsOf(user: TestUser, noteId: string) {
  const res = await as(app, user)('GET', `/api/notes/${noteId}/attachments`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json().items as Array<{ id: string; name: string; size: number; contentType: string }>;
}

async function contentSha(user: TestUser, fileId: string) {
  const res = await as(app, user)('GET', `/api/files/${fileId}/content`);
  assert.equal(res.statusCode, 200, res.body);
  return sha256(res.rawPayload);
}

const frontMatter = (markdown: string, key: string) =>
  JSON.parse(new RegExp(`^${key}: (.*)$`, 'm').exec(markdown)?.[1] ?? 'null');

describe('notes export and import with attachments', () => {
  test('the zip carries each note’s files, and an import brings them back byte for byte with new ids', async () => {
    const me = await createUser(app, 'attexp');
    const image = await photo(40, 30);
    const shown = await uploadAs(me, image, 'chart.jpg', 'image/jpeg');
    const held = await uploadAs(me, Buffer.from('minutes of the meeting\n'), 'minutes.txt', 'text/plain');
    const note = await createNote(app, me, {
      title: 'Report',
      body: `See ![chart](/api/files/${shown.id}/content) and [the file](/api/files/${held.id}/content).`,
    });
    await createNote(app, me, { title: 'Plain', body: 'no files' });
    // A file two notes hold is written once (zipEntries refuses a path twice), listed by both.
    const again = await createNote(app, me, {
      title: 'Again',
      body: `Same chart: ![chart](/api/files/${shown.id}/content)`,
    });
    // Someone else's note and file, with the same names: never in my export.
    const stranger = await createUser(app, 'attstranger');
    const theirs = await uploadAs(stranger, Buffer.from('private\n'), 'minutes.txt', 'text/plain');
    await createNote(app, stranger, { title: 'Report', body: `![x](/api/files/${theirs.id}/content)` });

    const res = await as(app, me)('GET', '/api/notes/export');
    assert.equal(res.statusCode, 200);
    const entries = await zipEntries(res.rawPayload);
    assert.deepEqual(
      [...entries.keys()].sort(),
      [
        `attachments/${held.id}/minutes.txt`,
        `attachments/${shown.id}/chart.jpg`,
        'Again.md',
        'Plain.md',
        'Report.md',
      ].sort(),
    );
    assert.equal(sha256(entries.get(`attachments/${shown.id}/chart.jpg`) as Buffer), sha256(image));
    assert.equal(sha256(entries.get(`attachments/${held.id}/minutes.txt`) as Buffer), held.sha256);
    const markdown = (entries.get('Report.md') as Buffer).toString('utf8');
    const listed = frontMatter(markdown, 'attachments');
    assert.deepEqual(
      listed.map((file: { id: string; path: string; sha256: string }) => [file.id, file.path, file.sha256]).sort(),
      [
        [shown.id, `attachments/${shown.id}/chart.jpg`, shown.sha256],
        [held.id, `attachments/${held.id}/minutes.txt`, held.sha256],
      ].sort(),
    );
    // Links point at the entries, relative to the note, so the unzipped folder shows them anywhere.
    assert.match(
      markdown,
      new RegExp(
        `See !\\[chart\\]\\(attachments/${shown.id}/chart\\.jpg\\) and \\[the file\\]\\(attachments/${held.id}/minutes\\.txt\\)\\.`,
      ),
    );
    assert.equal(frontMatter((entries.get('Plain.md') as Buffer).toString('utf8'), 'attachments'), null);
    assert.deepEqual(
      frontMatter((entries.get('Again.md') as Buffer).toString('utf8'), 'attachments').map(
        (file: { path: string }) => file.path,
      ),
      [`attachments/${shown.id}/chart.jpg`],
    );
    assert.ok(!res.rawPayload.includes(theirs.id), 'another user’s file id is in my export');

    // Into another account: new files, the same bytes, the body pointing at the new ones.
    const other = await createUser(app, 'attimp');
    const report = await importAs(app, other, res.rawPayload, 'zip');
    assert.deepEqual(report.skipped, []);
    assert.equal(report.imported, 3);
    const copy = (await as(app, other)('GET', `/api/notes/${note.id}`)).json();
    const files = await attachmentsOf(other, note.id);
    assert.equal(files.length, 2);
    const byName = new Map(files.map((file) => [file.name, file]));
    const newShown = byName.get('chart.jpg');
    const newHeld = byName.get('minutes.txt');
    assert.ok(newShown && newHeld);
    assert.notEqual(newShown.id, shown.id);
    assert.notEqual(newHeld.id, held.id);
    assert.equal(newShown.contentType, 'image/jpeg');
    assert.equal(await contentSha(other, newShown.id), sha256(image));
    assert.equal(await contentSha(other, newHeld.id), held.sha256);
    assert.equal(
      copy.body,
      `See ![chart](/api/files/${newShown.id}/content) and [the file](/api/files/${newHeld.id}/content).`,
    );
    // The chart both notes held came in once, held by both again.
    assert.deepEqual(
      (await attachmentsOf(other, again.id)).map((file: { id: string }) => file.id),
      [newShown.id],
    );
    // The importer owns them: they are in their file list, and the original owner's are untouched.
    const owned = (await as(app, other)('GET', '/api/files')).json().items.map((file: { id: string }) => file.id);
    assert.deepEqual(owned.sort(), [newShown.id, newHeld.id].sort());
    assert.equal(await contentSha(me, shown.id), sha256(image));

    // Importing the same zip again stores nothing twice.
    const reimport = await importAs(app, other, res.rawPayload, 'zip');
    assert.equal(reimport.imported, 0);
    assert.equal((await as(app, other)('GET', '/api/files')).json().items.length, 2);
  });

  test('a note in a notebook links its files relative to its folder, encoded, and an import links them again', async () => {
    const me = await createUser(app, 'attrel');
    const file = await uploadAs(me, Buffer.from('day by day\n'), 'my plan (v2).txt', 'text/plain');
    const book = await as(app, me)('POST', '/api/notes/notebooks', { name: 'Travel' });
    assert.equal(book.statusCode, 201, book.body);
    const body = `Plan: [plan](/api/files/${file.id}/content "the plan"), meta /api/files/${file.id}, preview /api/files/${file.id}/preview`;
    const note = await createNote(app, me, { title: 'Kyoto', body, notebookId: book.json().id });

    const entries = await zipEntries((await as(app, me)('GET', '/api/notes/export')).rawPayload);
    const link = `../attachments/${file.id}/my%20plan%20%28v2%29.txt`;
    assert.ok(entries.has(`attachments/${file.id}/my plan (v2).txt`));
    const markdown = (entries.get('Travel/Kyoto.md') as Buffer).toString('utf8');
    // Only link targets: a mention in the text, or a preview (a sub-resource), keeps its API link, which an import
    // points at the new file as before.
    assert.ok(
      markdown.endsWith(
        `Plan: [plan](${link} "the plan"), meta /api/files/${file.id}, preview /api/files/${file.id}/preview`,
      ),
      markdown,
    );

    const other = await createUser(app, 'attrelimp');
    const zip = await makeZip(Object.fromEntries(entries));
    assert.equal((await importAs(app, other, zip, 'zip')).imported, 1);
    const [copy] = await attachmentsOf(other, note.id);
    assert.ok(copy);
    const imported = (await as(app, other)('GET', `/api/notes/${note.id}`)).json();
    assert.equal(
      imported.body,
      `Plan: [plan](/api/files/${copy.id}/content "the plan"), meta /api/files/${copy.id}, preview /api/files/${copy.id}/preview`,
    );
  });

  test('an Evernote resource becomes a file of the importer, shown where the note showed it', async () => {
    const me = await createUser(app, 'attenex');
    const image = await photo(20, 20);
    const md5 = createHash('md5').update(image).digest('hex');
    const pdf = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');
    const enex = `<?xml version="1.0" encoding="UTF-8"?>
<en-export application="Evernote">
  <note>
    <title>Whiteboard</title>
    <content><![CDATA[<en-note><div>Before</div><div><en-media type="image/jpeg" hash="${md5}"/></div><div>After</div></en-note>]]></content>
    <resource>
      <data encoding="base64">${image.toString('base64').replace(/(.{76})/g, '$1\n')}</data>
      <mime>image/jpeg</mime>
      <resource-attributes><file-name>board.jpg</file-name></resource-attributes>
    </resource>
    <resource>
      <data encoding="base64">${pdf.toString('base64')}</data>
      <mime>application/pdf</mime>
      <resource-attributes><file-name>agenda &amp; notes.pdf</file-name></resource-attributes>
    </resource>
  </note>
</en-export>`;
    const report = await importAs(app, me, Buffer.from(enex), 'enex');
    assert.deepEqual(report.skipped, []);
    assert.equal(report.imported, 1);
    const [listed] = (await as(app, me)('GET', '/api/notes')).json().items;
    const note = (await as(app, me)('GET', `/api/notes/${listed.id}`)).json();
    const files = await attachmentsOf(me, note.id);
    assert.deepEqual(files.map((file) => [file.name, file.contentType]).sort(), [
      ['agenda & notes.pdf', 'application/pdf'],
      ['board.jpg', 'image/jpeg'],
    ]);
    const board = files.find((file) => file.name === 'board.jpg');
    assert.ok(board);
    assert.equal(note.body, `Before\n![board.jpg](/api/files/${board.id}/content)\nAfter`);
    assert.equal(await contentSha(me, board.id), sha256(image));
  });

  test('a refused attachment skips its whole note with the reason, and leaves no file behind', async () => {
    const me = await createUser(app, 'attrefuse');
    const id = (n: number) => `00000000-0000-4000-8000-00000000000${n}`;
    const note = (title: string, files: Array<{ id: string; name: string; path: string }>, body = '') =>
      `---\ntitle: ${JSON.stringify(title)}\nattachments: ${JSON.stringify(files)}\n---\n${body}`;
    const zip = await makeZip({
      'Good.md': note('Good', [{ id: id(1), name: 'a.txt', path: 'attachments/1/a.txt' }], `[a](/api/files/${id(1)})`),
      'attachments/1/a.txt': 'fine\n',
      // A good file, then one past FILES_MAX_BYTES: neither the note nor the good file stays.
      'Big.md': note('Big', [
        { id: id(2), name: 'ok.txt', path: 'attachments/2/ok.txt' },
        { id: id(3), name: 'big.txt', path: 'attachments/3/big.txt' },
      ]),
      'attachments/2/ok.txt': 'ok\n',
      'attachments/3/big.txt': Buffer.alloc(MAX_BYTES + 1, 'a'),
      'Missing.md': note('Missing', [{ id: id(4), name: 'gone.png', path: 'attachments/4/gone.png' }]),
      'Program.md': note('Program', [{ id: id(5), name: 'run.exe', path: 'attachments/5/run.exe' }]),
      'attachments/5/run.exe': Buffer.concat([Buffer.from('MZ'), Buffer.alloc(5000, 1)]),
      // Shows a file the zip does not carry: not a note pointing at someone else's file.
      'Dangling.md': note('Dangling', [], `![x](/api/files/${id(6)}/content)`),
      // Two more files would pass NOTES_IMPORT_MAX_FILES (3) once Good's one is in.
      'Many.md': note('Many', [
        { id: id(7), name: 'b.txt', path: 'attachments/7/b.txt' },
        { id: id(8), name: 'c.txt', path: 'attachments/8/c.txt' },
        { id: id(9), name: 'd.txt', path: 'attachments/9/d.txt' },
      ]),
      'attachments/7/b.txt': 'b\n',
      'attachments/8/c.txt': 'c\n',
      'attachments/9/d.txt': 'd\n',
    });
    const report = await importAs(app, me, zip, 'zip');
    assert.equal(report.imported, 1, JSON.stringify(report));
    const reasons = Object.fromEntries(report.skipped.map((item) => [item.name, item.reason]));
    assert.deepEqual(Object.keys(reasons).sort(), ['Big.md', 'Dangling.md', 'Many.md', 'Missing.md', 'Program.md']);
    assert.match(reasons['Big.md'] as string, /^attachment "big\.txt": A file may be at most 200000 bytes$/);
    assert.equal(reasons['Missing.md'], 'attachment "gone.png": not in the zip');
    assert.match(reasons['Program.md'] as string, /^attachment "run\.exe": Files of type .* are not accepted/);
    assert.match(reasons['Dangling.md'] as string, /invalid|not one of your files/i);
    assert.match(reasons['Many.md'] as string, /3 attachment\(s\) go past the 2 files this import may still store/);

    const notes = (await as(app, me)('GET', '/api/notes')).json().items;
    assert.deepEqual(
      notes.map((n: { title: string }) => n.title),
      ['Good'],
    );
    // Only Good's file is left: what was stored for Big before its second file was refused is gone.
    const files = (await as(app, me)('GET', '/api/files')).json().items;
    assert.deepEqual(
      files.map((file: { name: string }) => file.name),
      ['a.txt'],
    );
    const good = (await as(app, me)('GET', `/api/notes/${notes[0].id}`)).json();
    assert.equal(good.body, `[a](/api/files/${files[0].id})`);
  });

  test('a file whose bytes are gone from storage cuts the download off instead of sending a zip without them', async () => {
    const me = await createUser(app, 'attgone');
    const file = await uploadAs(me, Buffer.from('soon gone\n'), 'gone.txt', 'text/plain');
    await createNote(app, me, { title: 'Gone', body: `[gone](/api/files/${file.id}/content)` });
    rmSync(join(storage.env.STORAGE_LOCAL_DIR as string, 'files', file.id));
    const res = await fetch(`${await baseUrl()}/api/notes/export`, {
      headers: { authorization: `Bearer ${me.token}` },
    });
    assert.equal(res.status, 200);
    await assert.rejects(res.arrayBuffer(), /terminated/);
    // The app carries on.
    assert.equal((await as(app, me)('GET', '/api/notes')).statusCode, 200);
  });

  test('a client that stops reading stops the export: the next batch is read only once it drains', async () => {
    const me = await createUser(app, 'attslow');
    // A first batch (200 notes) far larger than what the socket and the zip stream buffer: 50 files
    // of 190 kB of text that compresses poorly, held by the first 50 notes; then 160 small notes.
    const id = (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
    for (let n = 1; n <= 50; n++) {
      const file = await uploadAs(
        me,
        Buffer.from(`text ${randomBytes(142_500).toString('base64')}`),
        `f${n}.txt`,
        'text/plain',
      );
      await createNote(app, me, { id: id(n), title: `N${n}`, body: `/api/files/${file.id}` });
    }
    const notes: Record<string, string> = {};
    for (let n = 51; n <= 210; n++) notes[`N${n}.md`] = `---\nid: "${id(n)}"\ntitle: "N${n}"\n---\nsmall`;
    assert.equal((await importAs(app, me, await makeZip(notes), 'zip')).imported, 160);

    const res = await fetch(`${await baseUrl()}/api/notes/export`, {
      headers: { authorization: `Bearer ${me.token}` },
    });
    const reader = (res.body as ReadableStream<Uint8Array>).getReader();
    const chunks: Buffer[] = [Buffer.from((await reader.read()).value ?? [])];
    await new Promise((resolve) => setTimeout(resolve, 500));
    // Written while the client is not reading: it sorts last (keyset on id), so it is in the zip only
    // if the export had not read past the first batch yet.
    await createNote(app, me, { id: 'ffffffff-ffff-4fff-bfff-ffffffffffff', title: 'Late' });
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read())
      chunks.push(Buffer.from(chunk.value));
    const names = [...(await zipEntries(Buffer.concat(chunks))).keys()];
    assert.equal(names.length, 261);
    assert.ok(names.includes('Late.md'), 'the export read every batch before the client had taken the first');
  });
});

import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { as, type Call, createUser, fieldsOf } from '../../helpers/users.ts';
import { createNote, editNote } from './helpers.ts';

const app: FastifyInstance = await buildTestApp();

interface Hit {
  title: string;
  snippet: string | null;
  rank: number | null;
}
const search = async (call: Call, query: string) => {
  const res = await call('GET', `/api/notes?${query}`);
  assert.equal(res.statusCode, 200, res.body);
  return res.json() as { items: Hit[]; nextCursor: string | null };
};
const titles = (page: { items: Hit[] }) => page.items.map((hit) => hit.title);
const q = (text: string) => `q=${encodeURIComponent(text)}`;

describe('notes search', async () => {
  const me = await createUser(app, 'search');
  const call = as(app, me);
  await createNote(app, me, { title: 'Budget', body: 'numbers for next year' });
  await createNote(app, me, { title: 'Groceries', body: 'apples', tags: ['budget'] });
  await createNote(app, me, {
    title: 'Meeting notes',
    body: 'We talked about the budget and the <script>alert(1)</script> roadmap for the next quarter.',
  });
  await createNote(app, me, { title: 'Recette', body: 'La crème brûlée du café' });
  await createNote(app, me, { title: '会议记录', body: '我们讨论了明年的预算和产品路线图' });
  await createNote(app, me, { title: '旅行', body: '東京タワーに行きました。とても楽しかったです。' });
  await createNote(app, me, { title: 'Deploy', body: 'kubernetes rollout checklist' });
  const other = await createUser(app, 'searchother');
  await createNote(app, other, { title: 'Budget of someone else' });

  test('ranked title > tags > body, with a highlighted, escaped snippet', async () => {
    const page = await search(call, q('budget'));
    assert.deepEqual(titles(page), ['Budget', 'Groceries', 'Meeting notes']);
    const [title, tag, body] = page.items as [Hit, Hit, Hit];
    assert.ok((title.rank as number) > (tag.rank as number) && (tag.rank as number) > (body.rank as number));
    assert.match(body.snippet ?? '', /<mark>budget<\/mark>/);
    assert.doesNotMatch(body.snippet ?? '', /<script>/, 'only <mark> is markup in a snippet');
    await createNote(app, me, { title: 'Inequality', body: 'when a < b & c holds' });
    const escaped = (await search(call, q('holds'))).items[0];
    assert.equal(escaped?.snippet, 'when a &lt; b &amp; c <mark>holds</mark>');
  });

  test('web-search syntax: phrases, exclusions, or', async () => {
    assert.deepEqual(titles(await search(call, q('"next quarter"'))), ['Meeting notes']);
    assert.deepEqual(titles(await search(call, q('budget -roadmap'))).sort(), ['Budget', 'Groceries']);
    assert.deepEqual(titles(await search(call, q('apples or kubernetes'))).sort(), ['Deploy', 'Groceries']);
  });

  test('accents are folded both ways', async () => {
    assert.deepEqual(titles(await search(call, q('creme brulee'))), ['Recette']);
    const hit = (await search(call, q('cafe'))).items[0];
    assert.match(hit?.snippet ?? '', /<mark>café<\/mark>/, 'the original, accented word is highlighted');
    assert.deepEqual(titles(await search(call, q('rôllout'))), ['Deploy']);
  });

  test('Chinese and Japanese words and substrings are found', async () => {
    assert.deepEqual(titles(await search(call, q('预算'))), ['会议记录']);
    const tokyo = await search(call, q('東京タワー'));
    assert.deepEqual(titles(tokyo), ['旅行']);
    assert.match(tokyo.items[0]?.snippet ?? '', /<mark>東京タワー<\/mark>/);
    assert.deepEqual(titles(await search(call, q('楽しかった'))), ['旅行']);
    assert.deepEqual(titles(await search(call, q('kubern'))), ['Deploy'], 'part of a word');
  });

  test('filters and keyset pages, with and without q', async () => {
    const user = await createUser(app, 'filters');
    const c = as(app, user);
    const notes = [];
    for (let i = 0; i < 5; i++)
      notes.push(await createNote(app, user, { title: `note ${i}`, body: `#daily entry ${i}` }));
    await editNote(app, user, notes[1] as { id: string; version: number }, { pinned: true });
    await editNote(app, user, notes[2] as { id: string; version: number }, { archived: true });
    const first = await search(c, 'limit=2');
    assert.deepEqual(titles(first), ['note 1', 'note 4'], 'newest change first');
    const second = await search(c, `limit=2&cursor=${first.nextCursor}`);
    assert.deepEqual(titles(second), ['note 3', 'note 0']);
    assert.equal(second.nextCursor, null);
    assert.deepEqual(titles(await search(c, 'pinned=true')), ['note 1']);
    assert.deepEqual(titles(await search(c, 'archived=true')), ['note 2']);
    assert.deepEqual(titles(await search(c, 'tag=%23Daily&limit=10')).length, 4);
    assert.deepEqual(titles(await search(c, 'tag=weekly')), []);
    const future = new Date(Date.now() + 60_000).toISOString();
    assert.deepEqual(titles(await search(c, `updatedAfter=${future}`)), []);
    assert.equal(titles(await search(c, `updatedBefore=${future}`)).length, 4);

    const s1 = await search(c, `${q('entry')}&limit=3`);
    assert.equal(s1.items.length, 3);
    const s2 = await search(c, `${q('entry')}&limit=3&cursor=${s1.nextCursor}`);
    assert.equal(s2.items.length, 1);
    assert.equal(new Set([...titles(s1), ...titles(s2)]).size, 4);
    // A cursor belongs to its list.
    assert.deepEqual(fieldsOf(await c('GET', `/api/notes?cursor=${s1.nextCursor}`)), ['query.cursor']);
    assert.deepEqual(fieldsOf(await c('GET', '/api/notes?updatedAfter=yesterday&limit=500')).sort(), [
      'query.limit',
      'query.updatedAfter',
    ]);
  });
});

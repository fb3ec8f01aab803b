import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { as, createDirect, createGroup, createUser, post } from './helpers.ts';

const app: FastifyInstance = await buildTestApp();

type Msg = { seq: number; body: string | null };
const seqs = (items: Msg[]) => items.map((m) => m.seq);

describe('messages', () => {
  test('post (markdown, reply-to), edit (marked with its time), delete (a tombstone stays)', async () => {
    const [alice, bob] = [await createUser(app), await createUser(app)];
    const group = await createDirect(app, alice, bob);
    const url = `/api/conversations/${group}/messages`;
    const first = await as(app, alice)('POST', url, { body: '# Hi\nSee **this**' });
    assert.equal(first.statusCode, 201);
    assert.equal(first.headers.location, `${url}/1`);
    const message = first.json();
    assert.deepEqual(
      { ...message, createdAt: undefined },
      {
        conversationId: group,
        seq: 1,
        authorId: alice.id,
        body: '# Hi\nSee **this**',
        replyToSeq: null,
        edited: false,
        editedAt: null,
        deleted: false,
        deletedAt: null,
        attachments: [],
        createdAt: undefined,
      },
    );
    const reply = await as(app, bob)('POST', url, { body: 'Got it', replyToSeq: 1 });
    assert.equal(reply.json().replyToSeq, 1);
    assert.equal(reply.json().seq, 2);
    const dangling = await as(app, bob)('POST', url, { body: 'x', replyToSeq: 9 });
    assert.deepEqual(
      assertProblem(dangling, 422, 'VALIDATION_FAILED').errors?.map((e) => e.field),
      ['body.replyToSeq'],
    );

    assertProblem(await as(app, bob)('PATCH', `${url}/1`, { body: 'mine now' }), 403, 'AUTHOR_ONLY');
    const edited = await as(app, alice)('PATCH', `${url}/1`, { body: 'Hi, edited' });
    assert.equal(edited.statusCode, 200);
    assert.equal(edited.json().body, 'Hi, edited');
    assert.equal(edited.json().edited, true);
    assert.ok(Date.parse(edited.json().editedAt) >= Date.parse(message.createdAt));

    assertProblem(await as(app, bob)('DELETE', `${url}/1`), 403, 'AUTHOR_ONLY');
    assert.equal((await as(app, alice)('DELETE', `${url}/1`)).statusCode, 204);
    assertProblem(await as(app, alice)('DELETE', `${url}/1`), 409, 'MESSAGE_DELETED');
    assertProblem(await as(app, alice)('PATCH', `${url}/1`, { body: 'back' }), 409, 'MESSAGE_DELETED');
    assertProblem(await as(app, alice)('PATCH', `${url}/99`, { body: 'x' }), 404, 'MESSAGE_NOT_FOUND');
    const history = (await as(app, bob)('GET', url)).json();
    assert.deepEqual(
      history.items.map((m: Msg & { deleted: boolean; replyToSeq: number | null }) => [
        m.seq,
        m.body,
        m.deleted,
        m.replyToSeq,
      ]),
      [
        [2, 'Got it', false, 1],
        [1, null, true, null],
      ],
    );
  });

  test('validation: missing, empty, blank, too long', async () => {
    const alice = await createUser(app);
    const group = await createGroup(app, alice);
    const url = `/api/conversations/${group}/messages`;
    for (const body of [{}, { body: '' }, { body: '   \n ' }, { body: 'x'.repeat(4001) }, { body: null }]) {
      const res = await as(app, alice)('POST', url, body);
      const fields = new Set(assertProblem(res, 422, 'VALIDATION_FAILED').errors?.map((e) => e.field));
      assert.deepEqual([...fields], ['body.body']);
    }
    assert.equal((await as(app, alice)('POST', url, { body: 'x'.repeat(4000) })).statusCode, 201);
    assertProblem(await as(app, alice)('GET', `${url}?before=3&after=1`), 422, 'VALIDATION_FAILED');
    assertProblem(await as(app, alice)('GET', `${url}?limit=101`), 422, 'VALIDATION_FAILED');
    assertProblem(await as(app, alice)('GET', '/api/conversations/nope/messages'), 422, 'VALIDATION_FAILED');
    assertProblem(await as(app, null)('GET', url), 401, 'UNAUTHORIZED');
  });

  test('history pages backwards and forwards by sequence', async () => {
    const alice = await createUser(app);
    const group = await createGroup(app, alice);
    for (let i = 1; i <= 7; i++) await post(app, alice, group, `m${i}`);
    const url = `/api/conversations/${group}/messages`;
    const get = async (query: string) => (await as(app, alice)('GET', `${url}?${query}`)).json();
    assert.deepEqual(await get('limit=3').then((p) => [seqs(p.items), p.hasMore]), [[7, 6, 5], true]);
    assert.deepEqual(await get('limit=3&before=5').then((p) => [seqs(p.items), p.hasMore]), [[4, 3, 2], true]);
    assert.deepEqual(await get('limit=3&before=2').then((p) => [seqs(p.items), p.hasMore]), [[1], false]);
    assert.deepEqual(await get('limit=3&after=0').then((p) => [seqs(p.items), p.hasMore]), [[1, 2, 3], true]);
    assert.deepEqual(await get('limit=3&after=4').then((p) => [seqs(p.items), p.hasMore]), [[5, 6, 7], false]);
    assert.deepEqual(await get('after=7').then((p) => [seqs(p.items), p.hasMore]), [[], false]);
  });

  test('concurrent posts get every sequence number once, with no gaps', async () => {
    const [alice, bob] = [await createUser(app), await createUser(app)];
    const group = await createGroup(app, alice, [bob]);
    const posted = await Promise.all(
      Array.from({ length: 20 }, (_, i) => post(app, i % 2 ? alice : bob, group, `concurrent ${i}`)),
    );
    assert.deepEqual(
      posted.map((m) => m.seq).sort((x, y) => x - y),
      Array.from({ length: 20 }, (_, i) => i + 1),
    );
    const conversation = (await as(app, alice)('GET', `/api/conversations/${group}`)).json();
    assert.equal(conversation.lastSeq, 20);
  });

  test('Idempotency-Key: a retry returns the first result and posts nothing more', async () => {
    const alice = await createUser(app);
    const group = await createGroup(app, alice);
    const url = `/api/conversations/${group}/messages`;
    const headers = { 'idempotency-key': 'post-1' };
    const first = await as(app, alice)('POST', url, { body: 'once' }, headers);
    const retry = await as(app, alice)('POST', url, { body: 'once' }, headers);
    assert.equal(first.statusCode, 201);
    assert.equal(retry.statusCode, 201);
    assert.equal(retry.headers['idempotent-replayed'], 'true');
    assert.deepEqual(retry.json(), first.json());
    const other = await as(app, alice)('POST', url, { body: 'different' }, headers);
    assertProblem(other, 422, 'IDEMPOTENCY_KEY_REUSED');
    assert.deepEqual(seqs((await as(app, alice)('GET', url)).json().items), [1]);
  });
});

describe('read state', () => {
  test('unread counts for all my conversations, read positions and receipts', async () => {
    const [alice, bob, carol] = [await createUser(app), await createUser(app), await createUser(app)];
    const group = await createGroup(app, alice, [bob, carol]);
    const direct = await createDirect(app, alice, bob);
    await post(app, bob, group, 'mine');
    for (const text of ['a', 'b', 'c']) await post(app, alice, group, text);
    await post(app, alice, direct, 'dm');
    await as(app, alice)('DELETE', `/api/conversations/${group}/messages/4`);

    // Bob: alice's a and b in the group (c was deleted; his own message is not unread), and the DM.
    const unread = (await as(app, bob)('GET', '/api/conversations/unread')).json();
    assert.equal(unread.total, 3);
    assert.deepEqual(
      Object.fromEntries(
        unread.items.map((i: { conversationId: string; unreadCount: number }) => [i.conversationId, i.unreadCount]),
      ),
      { [group]: 2, [direct]: 1 },
    );
    // What you post, you have read.
    assert.equal((await as(app, bob)('GET', `/api/conversations/${group}`)).json().lastReadSeq, 1);
    // Carol has read nothing: bob's message, a and b.
    assert.equal((await as(app, carol)('GET', '/api/conversations/unread')).json().total, 3);
    const read = await as(app, carol)('POST', `/api/conversations/${group}/read`, { seq: 2 });
    assert.equal(read.statusCode, 200);
    assert.deepEqual(read.json(), { conversationId: group, lastReadSeq: 2, unreadCount: 1 });
    // The position never moves back.
    assert.deepEqual((await as(app, carol)('POST', `/api/conversations/${group}/read`, { seq: 1 })).json(), {
      conversationId: group,
      lastReadSeq: 2,
      unreadCount: 1,
    });
    const past = await as(app, carol)('POST', `/api/conversations/${group}/read`, { seq: 5 });
    assert.deepEqual(
      assertProblem(past, 422, 'VALIDATION_FAILED').errors?.map((e) => e.field),
      ['body.seq'],
    );
    // Read receipts: every member's position.
    const members = (await as(app, alice)('GET', `/api/conversations/${group}/members`)).json().items;
    assert.deepEqual(
      Object.fromEntries(members.map((m: { userId: string; lastReadSeq: number }) => [m.userId, m.lastReadSeq])),
      { [alice.id]: 4, [bob.id]: 1, [carol.id]: 2 },
    );
  });
});

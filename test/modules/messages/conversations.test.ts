import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { as, createDirect, createGroup, createUser, post } from './helpers.ts';

const app: FastifyInstance = await buildTestApp();
const NO_SUCH = '00000000-0000-4000-8000-000000000000';

describe('direct conversations', () => {
  test('exactly one per pair, whoever starts it, even when both start it at once', async () => {
    const [alice, bob] = [await createUser(app), await createUser(app)];
    const created = await as(app, alice)('POST', '/api/conversations', { kind: 'direct', userId: bob.id });
    assert.equal(created.statusCode, 201);
    const conversation = created.json();
    assert.equal(created.headers.location, `/api/conversations/${conversation.id}`);
    assert.deepEqual(
      { ...conversation, id: undefined, lastActivityAt: undefined, createdAt: undefined, updatedAt: undefined },
      {
        id: undefined,
        kind: 'direct',
        title: null,
        peer: { userId: bob.id, username: bob.username, image: null },
        memberCount: 2,
        role: 'member',
        lastSeq: 0,
        lastReadSeq: 0,
        unreadCount: 0,
        lastMessage: null,
        lastActivityAt: undefined,
        createdAt: undefined,
        updatedAt: undefined,
      },
    );
    const again = await as(app, bob)('POST', '/api/conversations', { kind: 'direct', userId: alice.id });
    assert.equal(again.statusCode, 200);
    assert.equal(again.json().id, conversation.id);
    assert.equal(again.json().peer.userId, alice.id);

    const [carol, dave] = [await createUser(app), await createUser(app)];
    const raced = await Promise.all([
      ...Array.from({ length: 3 }, () =>
        as(app, carol)('POST', '/api/conversations', { kind: 'direct', userId: dave.id }),
      ),
      ...Array.from({ length: 3 }, () =>
        as(app, dave)('POST', '/api/conversations', { kind: 'direct', userId: carol.id }),
      ),
    ]);
    assert.equal(new Set(raced.map((res) => res.json().id)).size, 1);
    assert.deepEqual(raced.map((res) => res.statusCode).sort(), [200, 200, 200, 200, 200, 201]);
  });

  test('validation: yourself, an unknown user, group fields, missing fields', async () => {
    const alice = await createUser(app);
    const call = as(app, alice);
    const self = assertProblem(
      await call('POST', '/api/conversations', { kind: 'direct', userId: alice.id }),
      422,
      'VALIDATION_FAILED',
    );
    assert.deepEqual(
      self.errors?.map((e) => e.field),
      ['body.userId'],
    );
    const unknown = assertProblem(
      await call('POST', '/api/conversations', { kind: 'direct', userId: NO_SUCH }),
      422,
      'VALIDATION_FAILED',
    );
    assert.deepEqual(
      unknown.errors?.map((e) => e.field),
      ['body.userId'],
    );
    const missing = assertProblem(
      await call('POST', '/api/conversations', { kind: 'direct' }),
      422,
      'VALIDATION_FAILED',
    );
    assert.deepEqual(
      missing.errors?.map((e) => e.field),
      ['body.userId'],
    );
    const titled = await call('POST', '/api/conversations', { kind: 'direct', userId: NO_SUCH, title: 'x' });
    assert.deepEqual(
      assertProblem(titled, 422, 'VALIDATION_FAILED').errors?.map((e) => e.field),
      ['body.title'],
    );
    const bad = await call('POST', '/api/conversations', { kind: 'channel', userId: 'nope' });
    assert.deepEqual(
      assertProblem(bad, 422, 'VALIDATION_FAILED')
        .errors?.map((e) => e.field)
        .sort(),
      ['body.kind', 'body.userId'],
    );
    assertProblem(
      await as(app, null)('POST', '/api/conversations', { kind: 'direct', userId: alice.id }),
      401,
      'UNAUTHORIZED',
    );
  });
});

describe('groups', () => {
  test('create, read, rename (admins only), and 404 for everyone outside', async () => {
    const [alice, bob, eve] = [await createUser(app), await createUser(app), await createUser(app)];
    const res = await as(app, alice)('POST', '/api/conversations', {
      kind: 'group',
      title: 'Launch',
      memberIds: [bob.id, alice.id],
    });
    assert.equal(res.statusCode, 201);
    const group = res.json();
    assert.equal(group.kind, 'group');
    assert.equal(group.title, 'Launch');
    assert.equal(group.role, 'admin');
    assert.equal(group.memberCount, 2);
    assert.equal(group.peer, null);
    assert.equal((await as(app, bob)('GET', `/api/conversations/${group.id}`)).json().role, 'member');

    assertProblem(await as(app, bob)('PATCH', `/api/conversations/${group.id}`, { title: 'Mine' }), 403, 'ADMIN_ONLY');
    const renamed = await as(app, alice)('PATCH', `/api/conversations/${group.id}`, { title: 'Launch v2' });
    assert.equal(renamed.statusCode, 200);
    assert.equal(renamed.json().title, 'Launch v2');

    for (const [method, url, body] of [
      ['GET', `/api/conversations/${group.id}`],
      ['PATCH', `/api/conversations/${group.id}`, { title: 'x' }],
      ['GET', `/api/conversations/${group.id}/members`],
      ['POST', `/api/conversations/${group.id}/members`, { userId: eve.id }],
      ['DELETE', `/api/conversations/${group.id}/members/${eve.id}`],
      ['GET', `/api/conversations/${group.id}/messages`],
      ['POST', `/api/conversations/${group.id}/messages`, { body: 'hi' }],
      ['PATCH', `/api/conversations/${group.id}/messages/1`, { body: 'hi' }],
      ['DELETE', `/api/conversations/${group.id}/messages/1`],
      ['POST', `/api/conversations/${group.id}/read`, { seq: 0 }],
    ] as const) {
      assertProblem(await as(app, eve)(method, url, body), 404, 'CONVERSATION_NOT_FOUND');
    }
    const untitled = await as(app, alice)('POST', '/api/conversations', { kind: 'group', memberIds: [] });
    assert.deepEqual(
      assertProblem(untitled, 422, 'VALIDATION_FAILED').errors?.map((e) => e.field),
      ['body.title'],
    );
    const stranger = await as(app, alice)('POST', '/api/conversations', {
      kind: 'group',
      title: 'x',
      memberIds: [bob.id, NO_SUCH],
    });
    assert.deepEqual(
      assertProblem(stranger, 422, 'VALIDATION_FAILED').errors?.map((e) => e.field),
      ['body.memberIds.1'],
    );
  });

  test('members: add, roles, remove, leave; the last admin leaving promotes the longest-standing member', async () => {
    const [alice, bob, carol, dave] = [
      await createUser(app),
      await createUser(app),
      await createUser(app),
      await createUser(app),
    ];
    const group = await createGroup(app, alice, [bob]);
    const members = `/api/conversations/${group}/members`;
    assert.equal((await as(app, alice)('POST', members, { userId: carol.id })).statusCode, 201);
    assertProblem(await as(app, bob)('POST', members, { userId: dave.id }), 403, 'ADMIN_ONLY');
    const added = await as(app, alice)('POST', members, { userId: dave.id });
    assert.equal(added.statusCode, 201);
    assert.deepEqual(
      { ...(added.json() as object), joinedAt: undefined },
      {
        userId: dave.id,
        username: dave.username,
        image: null,
        role: 'member',
        lastReadSeq: 0,
        joinedAt: undefined,
      },
    );
    assertProblem(await as(app, alice)('POST', members, { userId: dave.id }), 409, 'MEMBER_EXISTS');
    assertProblem(await as(app, alice)('POST', members, { userId: NO_SUCH }), 422, 'VALIDATION_FAILED');

    assertProblem(await as(app, alice)('PATCH', `${members}/${alice.id}`, { role: 'member' }), 409, 'LAST_ADMIN');
    assertProblem(await as(app, bob)('DELETE', `${members}/${carol.id}`), 403, 'ADMIN_ONLY');
    assert.equal((await as(app, alice)('DELETE', `${members}/${dave.id}`)).statusCode, 204);
    assertProblem(await as(app, alice)('DELETE', `${members}/${dave.id}`), 404, 'MEMBER_NOT_FOUND');
    assertProblem(await as(app, dave)('GET', `/api/conversations/${group}`), 404, 'CONVERSATION_NOT_FOUND');

    // Alice (the only admin) leaves: bob, the longest-standing member, becomes admin.
    assert.equal((await as(app, alice)('DELETE', `${members}/${alice.id}`)).statusCode, 204);
    const left = (await as(app, bob)('GET', members)).json().items;
    assert.deepEqual(
      left.map((m: { userId: string; role: string }) => [m.userId, m.role]),
      [
        [bob.id, 'admin'],
        [carol.id, 'member'],
      ],
    );
    const promoted = await as(app, bob)('PATCH', `${members}/${carol.id}`, { role: 'admin' });
    assert.equal(promoted.json().role, 'admin');
    assert.equal((await as(app, carol)('DELETE', `${members}/${carol.id}`)).statusCode, 204);
    // The last member leaving takes the group with them.
    assert.equal((await as(app, bob)('DELETE', `${members}/${bob.id}`)).statusCode, 204);
    assertProblem(await as(app, bob)('GET', `/api/conversations/${group}`), 404, 'CONVERSATION_NOT_FOUND');
  });

  test('a direct conversation has fixed members', async () => {
    const [alice, bob, carol] = [await createUser(app), await createUser(app), await createUser(app)];
    const direct = await createDirect(app, alice, bob);
    assertProblem(
      await as(app, alice)('POST', `/api/conversations/${direct}/members`, { userId: carol.id }),
      409,
      'NOT_A_GROUP',
    );
    assertProblem(
      await as(app, alice)('DELETE', `/api/conversations/${direct}/members/${alice.id}`),
      409,
      'NOT_A_GROUP',
    );
    assertProblem(
      await as(app, alice)('PATCH', `/api/conversations/${direct}`, { title: 'x' }),
      422,
      'VALIDATION_FAILED',
    );
  });
});

describe('the conversation list', () => {
  test('most recently active first, with the last message and unread counts, paged by cursor', async () => {
    const [alice, bob, carol] = [await createUser(app), await createUser(app), await createUser(app)];
    const first = await createDirect(app, alice, bob);
    const second = await createGroup(app, alice, [bob, carol], 'Second');
    const third = await createDirect(app, alice, carol);
    await post(app, bob, first, 'first, latest');

    const page1 = (await as(app, alice)('GET', '/api/conversations?limit=2')).json();
    assert.deepEqual(
      page1.items.map((c: { id: string }) => c.id),
      [first, third],
    );
    assert.equal(page1.items[0].lastMessage.body, 'first, latest');
    assert.equal(page1.items[0].unreadCount, 1);
    assert.equal(page1.items[1].lastMessage, null);
    const page2 = (await as(app, alice)('GET', `/api/conversations?limit=2&cursor=${page1.nextCursor}`)).json();
    assert.deepEqual(
      page2.items.map((c: { id: string }) => c.id),
      [second],
    );
    assert.equal(page2.nextCursor, null);
    const bad = await as(app, alice)('GET', '/api/conversations?cursor=bogus');
    assert.deepEqual(
      assertProblem(bad, 422, 'VALIDATION_FAILED').errors?.map((e) => e.field),
      ['query.cursor'],
    );
  });
});

describe('blocks', () => {
  test('a block either way stops direct messages; unblocking restores them', async () => {
    const [alice, bob, carol] = [await createUser(app), await createUser(app), await createUser(app)];
    const direct = await createDirect(app, alice, bob);
    assert.equal((await as(app, bob)('PUT', `/api/blocks/${alice.id}`)).statusCode, 204);
    assert.equal((await as(app, bob)('PUT', `/api/blocks/${alice.id}`)).statusCode, 204, 'blocking twice is fine');
    const list = (await as(app, bob)('GET', '/api/blocks')).json();
    assert.deepEqual(
      list.items.map((b: { userId: string; username: string }) => [b.userId, b.username]),
      [[alice.id, alice.username]],
    );

    for (const from of [alice, bob]) {
      assertProblem(
        await as(app, from)('POST', `/api/conversations/${direct}/messages`, { body: 'hi' }),
        403,
        'USER_BLOCKED',
      );
    }
    // A new direct conversation is refused as well (bob's with carol is not).
    const [dave] = [await createUser(app)];
    assert.equal((await as(app, dave)('PUT', `/api/blocks/${carol.id}`)).statusCode, 204);
    assertProblem(
      await as(app, carol)('POST', '/api/conversations', { kind: 'direct', userId: dave.id }),
      403,
      'USER_BLOCKED',
    );
    assert.equal(
      (await as(app, bob)('POST', '/api/conversations', { kind: 'direct', userId: carol.id })).statusCode,
      201,
    );
    // The history stays readable.
    assert.equal((await as(app, alice)('GET', `/api/conversations/${direct}/messages`)).statusCode, 200);

    assert.equal((await as(app, bob)('DELETE', `/api/blocks/${alice.id}`)).statusCode, 204);
    assertProblem(await as(app, bob)('DELETE', `/api/blocks/${alice.id}`), 404, 'BLOCK_NOT_FOUND');
    assert.equal(
      (await as(app, alice)('POST', `/api/conversations/${direct}/messages`, { body: 'hi again' })).statusCode,
      201,
    );

    assertProblem(await as(app, bob)('PUT', `/api/blocks/${bob.id}`), 422, 'VALIDATION_FAILED');
    assertProblem(await as(app, bob)('PUT', `/api/blocks/${NO_SUCH}`), 404, 'USER_NOT_FOUND');
    assertProblem(await as(app, null)('GET', '/api/blocks'), 401, 'UNAUTHORIZED');
  });
});

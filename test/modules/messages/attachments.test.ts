import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { assertProblem } from '../../helpers/problem.ts';
import { fieldsOf, type TestUser } from '../../helpers/users.ts';
import { localHarness, NO_SUCH, text, upload } from '../files/support.ts';
import { as, createGroup, createUser } from './helpers.ts';

// Files posted with a message: attached in the posting transaction, listed with the message (a
// history page's in one query), readable by the conversation's members and nobody else, detached
// when the message is deleted.

const harness = localHarness();
const app: FastifyInstance = await buildTestApp(harness.env);

async function uploaded(user: TestUser, name = 'notes.txt', bytes = text(100)) {
  const res = await upload(app, user.token, bytes, { filename: name, type: 'text/plain' });
  assert.equal(res.statusCode, 201, res.body);
  return res.json() as { id: string; name: string; size: number };
}

/** The SQL the app sends through `app.db` (outside transactions) while `work` runs. */
async function statementsDuring(work: () => Promise<unknown>): Promise<string[]> {
  const executor = app.db.getExecutor();
  const seen: string[] = [];
  const original = executor.executeQuery.bind(executor);
  executor.executeQuery = ((query, queryId) => {
    seen.push(query.sql);
    return original(query, queryId);
  }) as typeof executor.executeQuery;
  try {
    await work();
  } finally {
    executor.executeQuery = original;
  }
  return seen;
}

describe('message attachments', () => {
  test('posted with fileIds: attached, listed with the message and in history; members may download them', async () => {
    const [alice, bob] = [await createUser(app), await createUser(app)];
    const group = await createGroup(app, alice, [bob]);
    const [one, two] = [await uploaded(alice, 'one.txt'), await uploaded(alice, 'two.txt')];
    const posted = await as(app, alice)('POST', `/api/conversations/${group}/messages`, {
      body: 'see attached',
      fileIds: [one.id, two.id],
    });
    assert.equal(posted.statusCode, 201, posted.body);
    const attachments = posted.json().attachments as Array<{ id: string; name: string }>;
    assert.deepEqual(attachments.map((file) => file.name).sort(), ['one.txt', 'two.txt']);

    const history = (await as(app, bob)('GET', `/api/conversations/${group}/messages`)).json();
    assert.deepEqual(history.items[0].attachments, posted.json().attachments);
    const listed = (await as(app, bob)('GET', '/api/conversations')).json();
    assert.deepEqual(listed.items[0].lastMessage.attachments, posted.json().attachments);

    // Bob, a member, reads Alice's file: metadata, bytes, and a link of his own.
    assert.equal((await as(app, bob)('GET', `/api/files/${one.id}`)).json().name, 'one.txt');
    const content = await as(app, bob)('GET', `/api/files/${one.id}/content`);
    assert.equal(content.statusCode, 200);
    assert.equal(content.body, text(100).toString());
    const link = await as(app, bob)('POST', `/api/files/${one.id}/link`, { expiresInMinutes: 5 });
    assert.equal(link.statusCode, 201);
    const viaLink = await app.inject({
      method: 'GET',
      url: new URL(link.json().url).pathname + new URL(link.json().url).search,
    });
    assert.equal(viaLink.statusCode, 200);
    // Reading is all: only the owner deletes, and not while the message holds it.
    assertProblem(await as(app, bob)('DELETE', `/api/files/${one.id}`), 404, 'FILE_NOT_FOUND');
    assertProblem(await as(app, alice)('DELETE', `/api/files/${one.id}`), 409, 'FILE_ATTACHED');
  });

  test('a non-member, and a member once removed, get 404 for an attached file', async () => {
    const [alice, bob, mallory] = [await createUser(app), await createUser(app), await createUser(app)];
    const group = await createGroup(app, alice, [bob]);
    const file = await uploaded(alice);
    const res = await as(app, alice)('POST', `/api/conversations/${group}/messages`, { body: 'x', fileIds: [file.id] });
    assert.equal(res.statusCode, 201);
    for (const url of [`/api/files/${file.id}`, `/api/files/${file.id}/content`]) {
      assertProblem(await as(app, mallory)('GET', url), 404, 'FILE_NOT_FOUND');
    }
    assertProblem(
      await as(app, mallory)('POST', `/api/files/${file.id}/link`, { expiresInMinutes: 5 }),
      404,
      'FILE_NOT_FOUND',
    );
    assert.equal((await as(app, bob)('GET', `/api/files/${file.id}/content`)).statusCode, 200);
    assert.equal((await as(app, alice)('DELETE', `/api/conversations/${group}/members/${bob.id}`)).statusCode, 204);
    assertProblem(await as(app, bob)('GET', `/api/files/${file.id}/content`), 404, 'FILE_NOT_FOUND');
  });

  test('only your own ready files: unknown or foreign ids are 422 field errors, and nothing is posted', async () => {
    const [alice, bob] = [await createUser(app), await createUser(app)];
    const group = await createGroup(app, alice, [bob]);
    const [mine, bobs] = [await uploaded(alice), await uploaded(bob)];
    const url = `/api/conversations/${group}/messages`;
    const refused = await as(app, alice)('POST', url, { body: 'x', fileIds: [mine.id, bobs.id, NO_SUCH] });
    const problem = assertProblem(refused, 422, 'VALIDATION_FAILED');
    assert.deepEqual(
      problem.errors?.map((e) => e.field),
      ['body.fileIds.1', 'body.fileIds.2'],
    );
    // Rolled back whole: no message, and Alice's own file is not left attached.
    assert.deepEqual((await as(app, alice)('GET', url)).json().items, []);
    assert.equal((await as(app, alice)('DELETE', `/api/files/${mine.id}`)).statusCode, 204);

    const tooMany = Array.from({ length: 11 }, () => randomUUID());
    assert.deepEqual(fieldsOf(await as(app, alice)('POST', url, { body: 'x', fileIds: tooMany })), ['body.fileIds']);
    const twice = await as(app, alice)('POST', url, { body: 'x', fileIds: [bobs.id, bobs.id] });
    assert.deepEqual(fieldsOf(twice), ['body.fileIds']);
    assert.deepEqual(fieldsOf(await as(app, alice)('POST', url, { body: 'x', fileIds: ['nope'] })), ['body.fileIds.0']);
  });

  test('deleting the message detaches its files: gone from the tombstone, no longer readable by members, deletable', async () => {
    const [alice, bob] = [await createUser(app), await createUser(app)];
    const group = await createGroup(app, alice, [bob]);
    const file = await uploaded(alice);
    const url = `/api/conversations/${group}/messages`;
    await as(app, alice)('POST', url, { body: 'oops', fileIds: [file.id] });
    assert.equal((await as(app, alice)('DELETE', `${url}/1`)).statusCode, 204);
    const [tombstone] = (await as(app, bob)('GET', url)).json().items;
    assert.equal(tombstone.deleted, true);
    assert.deepEqual(tombstone.attachments, []);
    assertProblem(await as(app, bob)('GET', `/api/files/${file.id}/content`), 404, 'FILE_NOT_FOUND');
    assert.equal((await as(app, alice)('DELETE', `/api/files/${file.id}`)).statusCode, 204);
  });

  test('a conversation whose last member leaves takes its messages’ attachments with it', async () => {
    const alice = await createUser(app);
    const group = await createGroup(app, alice, []);
    const file = await uploaded(alice);
    await as(app, alice)('POST', `/api/conversations/${group}/messages`, { body: 'x', fileIds: [file.id] });
    assert.equal((await as(app, alice)('DELETE', `/api/conversations/${group}/members/${alice.id}`)).statusCode, 204);
    assert.equal((await as(app, alice)('DELETE', `/api/files/${file.id}`)).statusCode, 204);
  });

  test('a history page reads its attachments in one query, however many messages carry files', async () => {
    const alice = await createUser(app);
    const group = await createGroup(app, alice, []);
    const url = `/api/conversations/${group}/messages`;
    for (let i = 0; i < 6; i += 1) {
      const file = await uploaded(alice, `f${i}.txt`);
      assert.equal((await as(app, alice)('POST', url, { body: `m${i}`, fileIds: [file.id] })).statusCode, 201);
    }
    const page = async (limit: number) =>
      statementsDuring(async () => {
        const res = await as(app, alice)('GET', `${url}?limit=${limit}`);
        assert.equal(res.json().items.length, limit);
        assert.ok(res.json().items.every((m: { attachments: unknown[] }) => m.attachments.length === 1));
      });
    const small = await page(2);
    const large = await page(6);
    assert.equal(large.length, small.length, 'the same statements for 2 messages as for 6');
    assert.equal(large.filter((sql) => /file_attachments/.test(sql)).length, 1);
  });
});

import assert from 'node:assert/strict';
import { test } from 'node:test';
import { sql } from 'kysely';
import { buildTestApp } from '../helpers/app.ts';
import { as, createUser } from '../helpers/users.ts';

/**
 * Every create in our own APIs takes `Idempotency-Key` (RealWorld's too, as an extension a client
 * that sends no key never sees), and the OpenAPI document says so exactly where it is honoured.
 */

const app = await buildTestApp();

// Creates that deliberately take no key, and why (README "Idempotency-Key" says the same):
const NOT_IDEMPOTENT = new Map([
  // Anonymous: keys are scoped to a user, and a retried registration already answers 409.
  ['POST /api/auth/register', 'anonymous'],
  ['POST /api/users', 'anonymous'],
  // The body is a stream the key's fingerprint cannot cover, and holding a transaction for the
  // whole upload would hold PGlite's only connection; the direct-upload path takes a key.
  ['POST /api/files', 'streamed upload'],
  // Stores nothing: a retry mints another signed URL for the same file, which is harmless.
  ['POST /api/files/{id}/link', 'no stored effect'],
  // The answer carries the link's token, which is stored only as a hash: a recorded answer would
  // keep the token itself. A retry makes a second link; the first can be revoked.
  ['POST /api/notes/{id}/shares', 'secret in the answer'],
  // A live quiz game's players have no account (keys are scoped to a user); joining twice makes two
  // seats, and an answer is once per player by its primary key (a retry is 409 ALREADY_ANSWERED).
  ['POST /api/games/join', 'anonymous'],
  ['POST /api/games/{id}/answers', 'anonymous player, once by primary key'],
]);

const HEADER = 'idempotency-key';
const toOpenApiPath = (url: string) => url.replace(/:([A-Za-z0-9_]+)/g, '{$1}');

test('the OpenAPI document declares Idempotency-Key on every idempotent operation, and on no other', async () => {
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
  // Which routes opted in, as the app registered them.
  const expected = new Set([...app.idempotentRoutes].map((route) => toOpenApiPath(route)));
  const declared = new Set<string>();
  const creates: string[] = [];
  for (const [path, item] of Object.entries<Record<string, { parameters?: unknown[]; responses?: object }>>(
    doc.paths,
  )) {
    for (const [method, operation] of Object.entries(item)) {
      const id = `${method.toUpperCase()} ${path}`;
      const parameters = (operation.parameters ?? []) as Array<{ in: string; name: string }>;
      if (parameters.some((p) => p.in === 'header' && p.name.toLowerCase() === HEADER)) declared.add(id);
      if (method === 'post' && operation.responses && '201' in operation.responses) creates.push(id);
    }
  }
  assert.ok(expected.size >= 11, `only ${expected.size} idempotent routes seen`);
  assert.deepEqual([...declared].sort(), [...expected].sort());
  // And every create (a POST answering 201) is among them, but for the reasoned exceptions.
  const missing = creates.filter((id) => !expected.has(id) && !NOT_IDEMPOTENT.has(id));
  assert.deepEqual(missing, []);
  // The exceptions name creates that exist, so the list cannot outlive its routes.
  assert.deepEqual(
    [...NOT_IDEMPOTENT.keys()].filter((id) => !creates.includes(id)),
    [],
  );
});

test('retrying "add a project member" with the same key replays the 201, not 409 MEMBER_EXISTS', async () => {
  const [owner, friend] = [await createUser(app), await createUser(app)];
  const call = as(app, owner);
  const project = (await call('POST', '/api/projects', { name: 'Shared' })).json();
  const key = { [HEADER]: 'add-friend-1' };
  const body = { username: friend.username, role: 'editor' };

  const first = await call('POST', `/api/projects/${project.id}/members`, body, key);
  assert.equal(first.statusCode, 201, first.body);
  const retry = await call('POST', `/api/projects/${project.id}/members`, body, key);
  assert.equal(retry.statusCode, 201, retry.body);
  assert.equal(retry.headers['idempotent-replayed'], 'true');
  assert.deepEqual(retry.json(), first.json());
  // Without a key the duplicate is still what it is.
  const again = await call('POST', `/api/projects/${project.id}/members`, body);
  assert.equal(again.statusCode, 409);
  assert.equal(again.json().code, 'MEMBER_EXISTS');
});

test('two POST /api/articles with one key create one article; a client sending no key sees RealWorld as is', async () => {
  const author = await createUser(app);
  const call = as(app, author);
  const article = { article: { title: 'Once only', description: 'd', body: 'b', tagList: ['x'] } };
  const key = { [HEADER]: 'article-1' };
  const [first, second] = await Promise.all([
    call('POST', '/api/articles', article, key),
    call('POST', '/api/articles', article, key),
  ]);
  assert.deepEqual([first.statusCode, second.statusCode], [201, 201], `${first.body} ${second.body}`);
  assert.deepEqual(second.json(), first.json());
  const { rows } = await sql<{ n: number }>`select count(*)::int as n from blog_articles
    where author_id = ${author.id}`.execute(app.db);
  assert.equal(rows[0]?.n, 1);

  const plain = await call('POST', '/api/articles', article);
  assert.equal(plain.statusCode, 201);
  assert.equal(plain.headers['idempotent-replayed'], undefined);
  assert.notEqual(plain.json().article.slug, first.json().article.slug);
});

test('a comment, and a group member, are created once per key', async () => {
  const [alice, bob] = [await createUser(app), await createUser(app)];
  const call = as(app, alice);
  const { slug } = (
    await call('POST', '/api/articles', { article: { title: 'T', description: 'd', body: 'b' } })
  ).json().article;
  const comment = { comment: { body: 'First!' } };
  const key = { [HEADER]: 'comment-1' };
  const one = await call('POST', `/api/articles/${slug}/comments`, comment, key);
  const two = await call('POST', `/api/articles/${slug}/comments`, comment, key);
  assert.deepEqual([one.statusCode, two.statusCode], [201, 201]);
  assert.deepEqual(two.json(), one.json());
  assert.equal((await call('GET', `/api/articles/${slug}/comments`)).json().comments.length, 1);

  const group = (await call('POST', '/api/conversations', { kind: 'group', title: 'G', memberIds: [] })).json();
  const add = { userId: bob.id };
  const added = await call('POST', `/api/conversations/${group.id}/members`, add, { [HEADER]: 'bob' });
  const replayed = await call('POST', `/api/conversations/${group.id}/members`, add, { [HEADER]: 'bob' });
  assert.deepEqual([added.statusCode, replayed.statusCode], [201, 201], replayed.body);
  assert.equal(replayed.headers['idempotent-replayed'], 'true');
});

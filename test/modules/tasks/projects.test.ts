import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { FastifyInstance } from 'fastify';
import { buildTestApp } from '../../helpers/app.ts';
import { as, createUser, fieldsOf, type TestUser } from '../../helpers/users.ts';
import { createProject } from './helpers.ts';

type Four = [TestUser, TestUser, TestUser, TestUser];

// One app (one database) for the file; each test makes its own users.
const app: FastifyInstance = await buildTestApp();

const NO_SUCH = '00000000-0000-4000-8000-000000000000';

describe('projects', () => {
  test('create, get (ETag, 304), list, rename with If-Match, archive, delete', async () => {
    const alice = await createUser(app);
    const call = as(app, alice);
    const created = await call('POST', '/api/projects', { name: 'Launch', description: 'Ship *it*' });
    assert.equal(created.statusCode, 201);
    const project = created.json();
    assert.equal(created.headers.etag, '"1"');
    assert.equal(created.headers.location, `/api/projects/${project.id}`);
    assert.deepEqual(
      { ...project, id: undefined, createdAt: undefined, updatedAt: undefined },
      {
        id: undefined,
        name: 'Launch',
        description: 'Ship *it*',
        ownerId: alice.id,
        role: 'owner',
        archived: false,
        archivedAt: null,
        version: 1,
        createdAt: undefined,
        updatedAt: undefined,
      },
    );

    const got = await call('GET', `/api/projects/${project.id}`);
    assert.equal(got.statusCode, 200);
    assert.equal(got.headers.etag, '"1"');
    const cached = await call('GET', `/api/projects/${project.id}`, undefined, { 'if-none-match': '"1"' });
    assert.equal(cached.statusCode, 304);
    assert.equal(cached.body, '');

    const renamed = await call('PATCH', `/api/projects/${project.id}`, { name: 'Launch v2' }, { 'if-match': '"1"' });
    assert.equal(renamed.statusCode, 200);
    assert.equal(renamed.json().name, 'Launch v2');
    assert.equal(renamed.headers.etag, '"2"');

    const stale = await call('PATCH', `/api/projects/${project.id}`, { name: 'Lost' }, { 'if-match': '"1"' });
    assert.equal(stale.statusCode, 412);
    assert.equal(stale.json().code, 'PRECONDITION_FAILED');
    assert.equal((await call('GET', `/api/projects/${project.id}`)).json().name, 'Launch v2');

    const archived = await call('PATCH', `/api/projects/${project.id}`, { archived: true });
    assert.equal(archived.json().archived, true);
    assert.equal((await call('GET', '/api/projects')).json().items.length, 0);
    assert.deepEqual(
      (await call('GET', '/api/projects?archived=true')).json().items.map((p: { id: string }) => p.id),
      [project.id],
    );

    assert.equal(
      (await call('DELETE', `/api/projects/${project.id}`, undefined, { 'if-match': '"1"' })).statusCode,
      412,
    );
    assert.equal(
      (await call('DELETE', `/api/projects/${project.id}`, undefined, { 'if-match': '"3"' })).statusCode,
      204,
    );
    assert.equal((await call('GET', `/api/projects/${project.id}`)).statusCode, 404);
  });

  test('list is keyset-paginated, newest first', async () => {
    const bob = await createUser(app);
    const call = as(app, bob);
    for (const name of ['a', 'b', 'c']) await call('POST', '/api/projects', { name });
    const first = (await call('GET', '/api/projects?limit=2')).json();
    assert.deepEqual(
      first.items.map((p: { name: string }) => p.name),
      ['c', 'b'],
    );
    const second = (await call('GET', `/api/projects?limit=2&cursor=${first.nextCursor}`)).json();
    assert.deepEqual(
      second.items.map((p: { name: string }) => p.name),
      ['a'],
    );
    assert.equal(second.nextCursor, null);
    const tampered = await call('GET', '/api/projects?cursor=bm90LWEtY3Vyc29y');
    assert.equal(tampered.statusCode, 422);
    assert.deepEqual(fieldsOf(tampered), ['query.cursor']);
  });

  test('validation: 422 with field errors', async () => {
    const call = as(app, await createUser(app));
    const res = await call('POST', '/api/projects', { name: '', description: 'x'.repeat(10001) });
    assert.equal(res.statusCode, 422);
    assert.deepEqual(fieldsOf(res).sort(), ['body.description', 'body.name']);
    const empty = await call('POST', '/api/projects', { name: 'x' });
    const patch = await call('PATCH', `/api/projects/${empty.json().id}`, {});
    assert.equal(patch.statusCode, 422);
    assert.equal((await call('GET', '/api/projects/not-a-uuid')).statusCode, 422);
  });

  test('401 without a credential on every route', async () => {
    const anon = as(app, null);
    for (const [method, url] of [
      ['POST', '/api/projects'],
      ['GET', '/api/projects'],
      ['GET', `/api/projects/${NO_SUCH}`],
      ['PATCH', `/api/projects/${NO_SUCH}`],
      ['DELETE', `/api/projects/${NO_SUCH}`],
      ['GET', `/api/projects/${NO_SUCH}/members`],
      ['POST', `/api/projects/${NO_SUCH}/members`],
      ['PATCH', `/api/projects/${NO_SUCH}/members/${NO_SUCH}`],
      ['DELETE', `/api/projects/${NO_SUCH}/members/${NO_SUCH}`],
      ['GET', `/api/projects/${NO_SUCH}/labels`],
      ['POST', `/api/projects/${NO_SUCH}/labels`],
      ['PATCH', `/api/projects/${NO_SUCH}/labels/${NO_SUCH}`],
      ['DELETE', `/api/projects/${NO_SUCH}/labels/${NO_SUCH}`],
    ] as const) {
      const res = await anon(method, url, method === 'GET' || method === 'DELETE' ? undefined : {});
      assert.equal(res.statusCode, 401, `${method} ${url}`);
      assert.equal(res.headers['content-type'], 'application/problem+json; charset=utf-8');
    }
  });

  test('Idempotency-Key: a retried create returns the first result; another body is 422', async () => {
    const call = as(app, await createUser(app));
    const key = { 'idempotency-key': 'create-project-1' };
    const first = await call('POST', '/api/projects', { name: 'Once' }, key);
    const retry = await call('POST', '/api/projects', { name: 'Once' }, key);
    assert.equal(first.statusCode, 201);
    assert.equal(retry.statusCode, 201);
    assert.equal(retry.headers['idempotent-replayed'], 'true');
    assert.equal(retry.headers.etag, first.headers.etag);
    assert.deepEqual(retry.json(), first.json());
    assert.equal((await call('GET', '/api/projects')).json().items.length, 1);

    const other = await call('POST', '/api/projects', { name: 'Twice' }, key);
    assert.equal(other.statusCode, 422);
    assert.equal(other.json().code, 'IDEMPOTENCY_KEY_REUSED');

    // Concurrent duplicates: exactly one creates, the other replays or is told it is in progress.
    const both = await Promise.all(
      [1, 2].map(() => call('POST', '/api/projects', { name: 'Race' }, { 'idempotency-key': 'race' })),
    );
    assert.ok(both.every((res) => res.statusCode === 201 || res.statusCode === 409));
    const names = (await call('GET', '/api/projects')).json().items.map((p: { name: string }) => p.name);
    assert.deepEqual(
      names.filter((n: string) => n === 'Race'),
      ['Race'],
    );

    const badKey = await call('POST', '/api/projects', { name: 'x' }, { 'idempotency-key': 'caf\u00c3\u00a9' });
    assert.equal(badKey.statusCode, 422);
  });
});

describe('members and roles', () => {
  test('owner adds, re-roles and removes members; viewers read, editors cannot manage members', async () => {
    const [owner, editor, viewer, outsider] = (await Promise.all([1, 2, 3, 4].map(() => createUser(app)))) as Four;
    const projectId = await createProject(app, owner, [
      [editor, 'editor'],
      [viewer, 'viewer'],
    ]);
    const base = `/api/projects/${projectId}`;
    const members = (await as(app, viewer)('GET', `${base}/members`)).json().items;
    assert.deepEqual(
      members.map((m: { username: string; role: string }) => [m.username, m.role]),
      [
        [owner.username, 'owner'],
        [editor.username, 'editor'],
        [viewer.username, 'viewer'],
      ],
    );
    assert.equal((await as(app, viewer)('GET', base)).json().role, 'viewer');

    // Viewer and editor may not change the project or its members: 403.
    assert.equal((await as(app, viewer)('PATCH', base, { name: 'x' })).statusCode, 403);
    assert.equal((await as(app, editor)('PATCH', base, { name: 'x' })).statusCode, 403);
    assert.equal((await as(app, editor)('DELETE', base)).statusCode, 403);
    const editorAdds = await as(app, editor)('POST', `${base}/members`, {
      username: outsider.username,
      role: 'viewer',
    });
    assert.equal(editorAdds.statusCode, 403);
    assert.equal(editorAdds.json().code, 'FORBIDDEN');

    // A non-member gets 404 for everything in the project.
    const stranger = as(app, outsider);
    for (const [method, url, body] of [
      ['GET', base, undefined],
      ['PATCH', base, { name: 'x' }],
      ['DELETE', base, undefined],
      ['GET', `${base}/members`, undefined],
      ['POST', `${base}/members`, { username: outsider.username, role: 'editor' }],
      ['GET', `${base}/labels`, undefined],
      ['POST', `${base}/labels`, { name: 'x', color: '#000000' }],
    ] as const) {
      const res = await stranger(method, url, body);
      assert.equal(res.statusCode, 404, `${method} ${url}`);
      assert.equal(res.json().code, 'PROJECT_NOT_FOUND');
    }

    const ownerCall = as(app, owner);
    const dup = await ownerCall('POST', `${base}/members`, { username: editor.username, role: 'viewer' });
    assert.equal(dup.statusCode, 409);
    const unknown = await ownerCall('POST', `${base}/members`, { username: 'nobody-here', role: 'viewer' });
    assert.equal(unknown.statusCode, 422);
    assert.deepEqual(fieldsOf(unknown), ['body.username']);
    const badRole = await ownerCall('POST', `${base}/members`, { username: outsider.username, role: 'owner' });
    assert.deepEqual(fieldsOf(badRole), ['body.role']);
    const unknownEmail = await ownerCall('POST', `${base}/members`, { email: 'nobody@example.test', role: 'viewer' });
    assert.equal(unknownEmail.statusCode, 422);
    assert.deepEqual(fieldsOf(unknownEmail), ['body.email']);
    for (const body of [{ role: 'viewer' }, { username: outsider.username, email: 'x@example.test', role: 'viewer' }]) {
      const ambiguous = await ownerCall('POST', `${base}/members`, body);
      assert.equal(ambiguous.statusCode, 422, JSON.stringify(body));
      assert.deepEqual(fieldsOf(ambiguous), ['body']);
    }

    const promoted = await ownerCall('PATCH', `${base}/members/${viewer.id}`, { role: 'editor' });
    assert.equal(promoted.statusCode, 200);
    assert.equal(promoted.json().role, 'editor');
    assert.equal((await ownerCall('PATCH', `${base}/members/${owner.id}`, { role: 'viewer' })).statusCode, 409);
    assert.equal((await ownerCall('PATCH', `${base}/members/${outsider.id}`, { role: 'viewer' })).statusCode, 404);

    // By email too (case-insensitively); the outsider then sees the project.
    const byEmail = await ownerCall('POST', `${base}/members`, {
      email: `${outsider.username}@EXAMPLE.test`,
      role: 'viewer',
    });
    assert.equal(byEmail.statusCode, 201, byEmail.body);
    assert.equal(byEmail.json().username, outsider.username);
    assert.equal(byEmail.json().email, undefined, 'a member is shown without their email');
    assert.equal((await as(app, outsider)('GET', base)).statusCode, 200);

    // Members may leave; the owner may not.
    assert.equal((await as(app, viewer)('DELETE', `${base}/members/${viewer.id}`)).statusCode, 204);
    assert.equal((await as(app, viewer)('GET', base)).statusCode, 404);
    assert.equal((await as(app, editor)('DELETE', `${base}/members/${owner.id}`)).statusCode, 403);
    assert.equal((await ownerCall('DELETE', `${base}/members/${owner.id}`)).statusCode, 409);
    assert.equal((await ownerCall('DELETE', `${base}/members/${editor.id}`)).statusCode, 204);
    assert.equal((await as(app, editor)('GET', base)).statusCode, 404);
  });

  test('labels: editors create, rename and delete; names are unique per project; viewers 403', async () => {
    const [owner, editor, viewer] = (await Promise.all([1, 2, 3].map(() => createUser(app)))) as Four;
    const projectId = await createProject(app, owner, [
      [editor, 'editor'],
      [viewer, 'viewer'],
    ]);
    const base = `/api/projects/${projectId}/labels`;
    const created = await as(app, editor)('POST', base, { name: 'Bug', color: '#ff0000' });
    assert.equal(created.statusCode, 201);
    const label = created.json();
    assert.deepEqual(
      { name: label.name, color: label.color, projectId: label.projectId },
      {
        name: 'Bug',
        color: '#ff0000',
        projectId,
      },
    );
    assert.equal((await as(app, editor)('POST', base, { name: 'bug', color: '#00ff00' })).statusCode, 409);
    const invalid = await as(app, editor)('POST', base, { name: '', color: 'red' });
    assert.deepEqual(fieldsOf(invalid).sort(), ['body.color', 'body.name']);
    assert.equal((await as(app, viewer)('POST', base, { name: 'x', color: '#000000' })).statusCode, 403);
    assert.equal((await as(app, viewer)('PATCH', `${base}/${label.id}`, { name: 'x' })).statusCode, 403);

    const renamed = await as(app, editor)('PATCH', `${base}/${label.id}`, { name: 'Defect' });
    assert.equal(renamed.statusCode, 200);
    assert.equal(renamed.json().name, 'Defect');
    assert.deepEqual(
      (await as(app, viewer)('GET', base)).json().items.map((l: { name: string }) => l.name),
      ['Defect'],
    );
    assert.equal((await as(app, editor)('PATCH', `${base}/${NO_SUCH}`, { name: 'x' })).statusCode, 404);
    assert.equal((await as(app, viewer)('DELETE', `${base}/${label.id}`)).statusCode, 403);
    assert.equal((await as(app, editor)('DELETE', `${base}/${label.id}`)).statusCode, 204);
    assert.equal((await as(app, editor)('DELETE', `${base}/${label.id}`)).statusCode, 404);
  });
});

test('OpenAPI describes every tasks/projects route with its tags, headers and statuses', async () => {
  const doc = (await app.inject({ method: 'GET', url: '/openapi.json' })).json();
  const ops: Array<[string, string, { tags: string[]; responses: Record<string, unknown>; parameters?: unknown[] }]> =
    [];
  for (const [path, methods] of Object.entries<Record<string, never>>(doc.paths)) {
    if (!/^\/api\/(projects|tasks)/.test(path)) continue;
    for (const [method, op] of Object.entries(methods)) ops.push([method, path, op]);
  }
  assert.equal(ops.length, 24);
  for (const [method, path, op] of ops) {
    const name = `${method} ${path}`;
    assert.ok(['tasks', 'projects'].includes(op.tags[0] as string), name);
    for (const status of ['401', '422']) assert.ok(op.responses[status], `${name} ${status}`);
    const headers = JSON.stringify(op.parameters ?? []);
    if (method === 'post' && !path.endsWith('/members')) assert.ok(headers.includes('idempotency-key'), name);
    if (/\{(projectId|taskId)\}$/.test(path) && method !== 'get' && !path.endsWith('/tasks')) {
      assert.ok(op.responses['412'] && headers.includes('if-match'), name);
    }
    if (/\{(projectId|taskId)\}$/.test(path) && method === 'get') assert.ok(op.responses['304'], name);
  }
});

import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';

/** Test helpers for the tasks module: users through the real auth routes, and terse requests. */

export interface TestUser {
  id: string;
  username: string;
  token: string;
}

let counter = 0;

/** Registers and logs in a fresh user through HTTP. */
export async function createUser(app: FastifyInstance, prefix = 'user'): Promise<TestUser> {
  counter += 1;
  const username = `${prefix}${counter}${randomBytes(3).toString('hex')}`;
  const password = `Pw-${randomBytes(12).toString('base64url')}`;
  const email = `${username}@example.test`;
  const registered = await app.inject({
    method: 'POST',
    url: '/api/auth/register',
    payload: { email, username, password },
  });
  if (registered.statusCode !== 201) throw new Error(`register failed: ${registered.statusCode} ${registered.body}`);
  const login = await app.inject({ method: 'POST', url: '/api/auth/login', payload: { login: username, password } });
  if (login.statusCode !== 200) throw new Error(`login failed: ${login.statusCode} ${login.body}`);
  const body = login.json();
  return { id: body.user.id, username, token: body.accessToken };
}

export type Call = (
  method: InjectOptions['method'],
  url: string,
  payload?: unknown,
  headers?: Record<string, string>,
) => Promise<LightMyRequestResponse>;

/** Requests as `user` (or anonymously, with no user). */
export function as(app: FastifyInstance, user: TestUser | null): Call {
  return (method, url, payload, headers = {}) =>
    app.inject({
      method,
      url,
      ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
      headers: { ...(user ? { authorization: `Bearer ${user.token}` } : {}), ...headers },
    });
}

/** A project owned by `owner`, with `members` added in the given roles. */
export async function createProject(
  app: FastifyInstance,
  owner: TestUser,
  members: Array<[TestUser, 'editor' | 'viewer']> = [],
): Promise<string> {
  const call = as(app, owner);
  const res = await call('POST', '/api/projects', { name: 'Project' });
  if (res.statusCode !== 201) throw new Error(`create project failed: ${res.body}`);
  const projectId = res.json().id as string;
  for (const [user, role] of members) {
    const added = await call('POST', `/api/projects/${projectId}/members`, { username: user.username, role });
    if (added.statusCode !== 201) throw new Error(`add member failed: ${added.body}`);
  }
  return projectId;
}

export async function createTask(call: Call, projectId: string, body: Record<string, unknown>) {
  const res = await call('POST', `/api/projects/${projectId}/tasks`, body);
  if (res.statusCode !== 201) throw new Error(`create task failed: ${res.statusCode} ${res.body}`);
  return res.json();
}

/** Field names of a 422 problem, for compact assertions. */
export function fieldsOf(res: LightMyRequestResponse): string[] {
  return (res.json().errors ?? []).map((error: { field: string }) => error.field);
}

/** An owner with an editor, a viewer and an outsider, and the owner's project. */
export async function team(app: FastifyInstance) {
  const [owner, editor, viewer, outsider] = await Promise.all([1, 2, 3, 4].map(() => createUser(app)));
  const projectId = await createProject(app, owner as TestUser, [
    [editor as TestUser, 'editor'],
    [viewer as TestUser, 'viewer'],
  ]);
  return { owner, editor, viewer, outsider, projectId } as Record<
    'owner' | 'editor' | 'viewer' | 'outsider',
    TestUser
  > & {
    projectId: string;
  };
}

/** The titles of a list page, in order. */
export const titles = (res: { json(): { items: Array<{ title: string }> } }) => res.json().items.map((t) => t.title);

/** A task id no test ever creates. */
export const NO_SUCH = '00000000-0000-4000-8000-000000000000';

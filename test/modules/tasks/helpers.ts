import type { FastifyInstance } from 'fastify';
import { as, type Call, createUser, type TestUser } from '../../helpers/users.ts';

/** Test helpers for the tasks module: projects, members and tasks through the real routes. */

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

import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, InjectOptions } from 'fastify';

/** Shared steps for the blog's HTTP tests: RealWorld users and articles, each test making its own. */

export interface TestUser {
  username: string;
  email: string;
  password: string;
  token: string;
}

export const uid = () => randomUUID().replaceAll('-', '').slice(0, 10);

export function call(
  app: FastifyInstance,
  method: InjectOptions['method'],
  url: string,
  options: { token?: string; scheme?: string; payload?: unknown } = {},
) {
  return app.inject({
    method,
    url,
    headers: options.token ? { authorization: `${options.scheme ?? 'Token'} ${options.token}` } : {},
    ...(options.payload !== undefined ? { payload: options.payload as object } : {}),
  });
}

/** Registers through RealWorld's POST /api/users (with the common password its suite uses). */
export async function registerUser(app: FastifyInstance, prefix = 'u'): Promise<TestUser> {
  const username = `${prefix}${uid()}`;
  const user = { username, email: `${username}@example.com`, password: 'password123' };
  const res = await call(app, 'POST', '/api/users', { payload: { user } });
  assert.equal(res.statusCode, 201, res.body);
  return { ...user, token: res.json().user.token };
}

export async function createArticle(
  app: FastifyInstance,
  author: TestUser,
  article: { title?: string; description?: string; body?: string; tagList?: string[] } = {},
) {
  const res = await call(app, 'POST', '/api/articles', {
    token: author.token,
    payload: {
      article: { title: `Title ${uid()}`, description: 'A description', body: 'A *markdown* body', ...article },
    },
  });
  assert.equal(res.statusCode, 201, res.body);
  return res.json().article as Record<string, unknown> & { slug: string; tagList: string[] };
}

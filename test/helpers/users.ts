import { randomBytes } from 'node:crypto';
import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';

/** Test users through the real auth routes, and terse requests as them: shared by every module's tests. */

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

/** Field names of a 422 problem, for compact assertions. */
export function fieldsOf(res: LightMyRequestResponse): string[] {
  return (res.json().errors ?? []).map((error: { field: string }) => error.field);
}

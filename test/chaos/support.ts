import { randomBytes } from 'node:crypto';
import pg from 'pg';
import type { TestCluster } from '../helpers/cluster.ts';
import { startServer } from '../helpers/server-process.ts';

/** Support for the chaos tests: a database on the test's own cluster, the real server process on it. */

export async function createDatabase(cluster: TestCluster): Promise<string> {
  const name = `chaos_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: cluster.url });
  await client.connect();
  await client.query(`create database ${name}`);
  await client.end();
  const url = new URL(cluster.url);
  url.pathname = `/${name}`;
  return url.toString();
}

export async function query<T>(databaseUrl: string, text: string, values: unknown[] = []): Promise<T[]> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    return (await client.query(text, values)).rows as T[];
  } finally {
    await client.end();
  }
}

/** The server as production runs it (`node src/server.ts`), on `databaseUrl`. */
export async function serve(databaseUrl: string, env: Record<string, string> = {}) {
  const server = startServer({
    NODE_ENV: 'production',
    HOST: '127.0.0.1',
    PORT: '0',
    DATABASE_URL: databaseUrl,
    DATABASE_POOL_MAX: '10',
    SHUTDOWN_TIMEOUT_MS: '5000',
    // All the load comes from one address, and the machine is busy: neither limit is under test.
    RATE_LIMIT_MAX: '1000000',
    MAX_EVENT_LOOP_DELAY_MS: '0',
    AUTH_PASSWORD_SCREEN: 'off',
    // One instance at a time, on this machine's disk: local file storage is fine, and said so.
    STORAGE_LOCAL_SHARED: 'true',
    ...env,
  });
  const base = await server.listening();
  return { ...server, base };
}

/** A fresh account on `base`, logged in; returns its bearer headers. */
export async function signUp(base: string): Promise<Record<string, string>> {
  const username = `chaos${randomBytes(4).toString('hex')}`;
  const password = `Pw-${randomBytes(12).toString('base64url')}`;
  const json = { 'content-type': 'application/json' };
  const registered = await fetch(`${base}/api/auth/register`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ email: `${username}@example.test`, username, password }),
  });
  if (registered.status !== 201) throw new Error(`register: ${registered.status} ${await registered.text()}`);
  const login = await fetch(`${base}/api/auth/login`, {
    method: 'POST',
    headers: json,
    body: JSON.stringify({ login: username, password }),
  });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${await login.text()}`);
  const { accessToken } = (await login.json()) as { accessToken: string };
  return { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' };
}

export async function createProject(base: string, headers: Record<string, string>): Promise<string> {
  const res = await fetch(`${base}/api/projects`, { method: 'POST', headers, body: JSON.stringify({ name: 'Chaos' }) });
  if (res.status !== 201) throw new Error(`project: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { id: string }).id;
}

/** How a request ended: answered (with its status), refused (no connection made), or dropped. */
export type Outcome = { kind: 'answered'; status: number } | { kind: 'refused' } | { kind: 'dropped'; error: string };

export async function attempt(url: string, init: RequestInit): Promise<Outcome> {
  try {
    const res = await fetch(url, init);
    await res.arrayBuffer();
    return { kind: 'answered', status: res.status };
  } catch (error) {
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    if (cause?.code === 'ECONNREFUSED') return { kind: 'refused' };
    return { kind: 'dropped', error: `${cause?.code ?? ''} ${cause?.message ?? String(error)}` };
  }
}

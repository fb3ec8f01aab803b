import { createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest, onSendHookHandler, preHandlerHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { type ColumnType, type Kysely, sql } from 'kysely';
import { Type } from 'typebox';
import type { CreatedAt, Timestamp, UpdatedAt } from '../db/column-types.ts';
import { stableStringify } from '../lib/stable-stringify.ts';
import { AppError, conflict, unprocessable } from './errors.ts';

/**
 * `Idempotency-Key` for POST (the IETF httpapi draft's semantics). A route opts in with one line,
 * `config: { idempotent: true }`; this plugin (registered once, before the modules) then:
 *
 * 1. after validation and the route's own hooks (so after authentication), claims `(user, route, key)` by
 *    inserting a row. The primary key makes the claim atomic: of two concurrent duplicates exactly
 *    one inserts, the other finds the row.
 * 2. replays a finished request's stored status, headers and body (`Idempotent-Replayed: true`);
 *    answers 409 while the first is still running, and 422 when the key comes back with a
 *    different request (method, URL or body) than it was first used for.
 * 3. when the response is sent, stores it if it was a success, or releases the claim if it was an
 *    error, so a client can fix a rejected request and retry with the same key.
 *
 * Keys expire after `IDEMPOTENCY_TTL_MS`. A claim whose request died mid-way (process crash) is
 * taken over after `STALE_CLAIM_MS`.
 */

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
const STALE_CLAIM_MS = 60_000;
const SWEEP_EVERY_MS = 60 * 60 * 1000;
const HEADER = 'idempotency-key';
const REPLAYED_HEADERS = ['etag', 'location', 'content-type'] as const;

export interface IdempotencyKeysTable {
  user_id: string;
  route: string;
  key: string;
  fingerprint: string;
  status_code: number | null;
  response_headers: ColumnType<Record<string, string> | null, string | null, string | null>;
  response_body: string | null;
  locked_at: UpdatedAt;
  created_at: CreatedAt;
  expires_at: Timestamp;
}

export interface IdempotencyTables {
  idempotency_keys: IdempotencyKeysTable;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Honour an `Idempotency-Key` header on this route (see src/core/idempotency.ts). */
    idempotent?: boolean;
  }
}

export const IdempotencyKeyHeader = Type.String({
  minLength: 1,
  maxLength: 255,
  pattern: '^[\\x21-\\x7E]+$',
  description: 'A unique key per intended operation (e.g. a UUID); a retry with the same key returns the first result',
});

interface Claim {
  userId: string;
  route: string;
  key: string;
  replayed: boolean;
}

const claims = new WeakMap<FastifyRequest, Claim>();

// biome-ignore lint/suspicious/noExplicitAny: used with the app's Db and with bare handles alike.
type AnyDb = Kysely<any>;
const table = (db: AnyDb) => db as unknown as Kysely<IdempotencyTables>;

function fingerprintOf(request: FastifyRequest): string {
  return createHash('sha256')
    .update(stableStringify({ method: request.method, url: request.url, body: request.body ?? null }))
    .digest('hex');
}

const claim: preHandlerHookHandler = async function claim(request, reply) {
  const raw = request.headers[HEADER];
  if (raw === undefined) return;
  const key = Array.isArray(raw) ? raw[0] : raw;
  if (!key || key.length > 255 || !/^[\x21-\x7E]+$/.test(key)) {
    throw unprocessable([{ field: `headers.${HEADER}`, message: 'must be 1 to 255 visible ASCII characters' }]);
  }
  // Keys belong to a user: without one (an anonymous route) there is nothing safe to key on.
  const userId = (request as { user?: { id: string } | null }).user?.id;
  if (!userId) return;
  const db = table(request.server.db as unknown as AnyDb);
  const route = `${request.method} ${request.routeOptions.url}`;
  const fingerprint = fingerprintOf(request);
  const pk = { user_id: userId, route, key };

  for (let attempt = 0; attempt < 3; attempt++) {
    const inserted = await db
      .insertInto('idempotency_keys')
      .values({ ...pk, fingerprint, expires_at: new Date(Date.now() + IDEMPOTENCY_TTL_MS) })
      .onConflict((oc) => oc.doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted) {
      claims.set(request, { userId, route, key, replayed: false });
      return;
    }
    const existing = await db
      .selectFrom('idempotency_keys')
      .selectAll()
      .where('user_id', '=', userId)
      .where('route', '=', route)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!existing) continue; // released or purged in between: claim again
    if (existing.expires_at.getTime() <= Date.now()) {
      await deleteKey(db, pk, sql`expires_at <= now()`);
      continue;
    }
    if (existing.fingerprint !== fingerprint) {
      throw new AppError(
        422,
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was already used for a different request; use a new key',
      );
    }
    if (existing.status_code === null) {
      // Still running, unless it has been "running" long enough to have died: then take it over.
      if (existing.locked_at.getTime() > Date.now() - STALE_CLAIM_MS) {
        throw new AppError(409, 'IDEMPOTENCY_REQUEST_IN_PROGRESS', 'A request with this Idempotency-Key is running', {
          headers: { 'retry-after': '1' },
        });
      }
      const taken = await db
        .updateTable('idempotency_keys')
        .set({ locked_at: new Date() })
        .where('user_id', '=', userId)
        .where('route', '=', route)
        .where('key', '=', key)
        .where('status_code', 'is', null)
        .where('locked_at', '=', existing.locked_at)
        .returning('key')
        .executeTakeFirst();
      if (!taken) throw conflict('IDEMPOTENCY_REQUEST_IN_PROGRESS', 'A request with this Idempotency-Key is running');
      claims.set(request, { userId, route, key, replayed: false });
      return;
    }
    claims.set(request, { userId, route, key, replayed: true });
    reply
      .code(existing.status_code)
      .headers(existing.response_headers ?? {})
      .header('idempotent-replayed', 'true');
    return reply.send(existing.response_body ?? undefined);
  }
  throw conflict('IDEMPOTENCY_REQUEST_IN_PROGRESS', 'A request with this Idempotency-Key is running');
};

const record: onSendHookHandler = async function record(request, reply, payload) {
  const current = claims.get(request);
  if (!current || current.replayed) return payload;
  claims.delete(request);
  const db = table(request.server.db as unknown as AnyDb);
  const pk = { user_id: current.userId, route: current.route, key: current.key };
  try {
    if (reply.statusCode >= 200 && reply.statusCode < 300) {
      const headers: Record<string, string> = {};
      for (const name of REPLAYED_HEADERS) {
        const value = reply.getHeader(name);
        if (value !== undefined) headers[name] = String(value);
      }
      await db
        .updateTable('idempotency_keys')
        .set({
          status_code: reply.statusCode,
          response_headers: JSON.stringify(headers),
          response_body: typeof payload === 'string' ? payload : null,
        })
        .where('user_id', '=', pk.user_id)
        .where('route', '=', pk.route)
        .where('key', '=', pk.key)
        .execute();
    } else {
      await deleteKey(db, pk);
    }
  } catch (error) {
    // The response itself succeeded; a lost record only means a retry runs again after the claim
    // goes stale, so log rather than fail the request.
    request.log.error({ err: error }, 'could not record the idempotent response');
  }
  return payload;
};

async function deleteKey(
  db: Kysely<IdempotencyTables>,
  pk: { user_id: string; route: string; key: string },
  extra?: ReturnType<typeof sql<boolean>>,
) {
  let query = db
    .deleteFrom('idempotency_keys')
    .where('user_id', '=', pk.user_id)
    .where('route', '=', pk.route)
    .where('key', '=', pk.key);
  if (extra) query = query.where(extra);
  await query.execute();
}

/** Deletes expired keys; run periodically by the plugin, exported for maintenance scripts and tests. */
export async function purgeExpiredIdempotencyKeys(db: AnyDb): Promise<number> {
  const result = await table(db)
    .deleteFrom('idempotency_keys')
    .where('expires_at', '<=', new Date())
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

export const idempotencyPlugin = fp(
  async (app: FastifyInstance) => {
    app.addHook('onRoute', (route) => {
      if (!route.config?.idempotent) return;
      route.preHandler = [...asArray(route.preHandler), claim];
      route.onSend = [...asArray(route.onSend), record];
      // Document the header on the route without touching a schema object other routes share.
      const schema = route.schema as { headers?: { properties?: Record<string, unknown> } } | undefined;
      if (schema) {
        const headers = schema.headers ?? { type: 'object', properties: {} };
        schema.headers = { ...headers, properties: { ...headers.properties, [HEADER]: IdempotencyKeyHeader } };
      }
    });
    const timer = setInterval(() => {
      purgeExpiredIdempotencyKeys(app.db as unknown as AnyDb).catch((error) =>
        app.log.warn({ err: error }, 'idempotency key sweep failed'),
      );
    }, SWEEP_EVERY_MS);
    timer.unref();
    app.addHook('onClose', async () => clearInterval(timer));
  },
  { name: 'idempotency', dependencies: ['database'] },
);

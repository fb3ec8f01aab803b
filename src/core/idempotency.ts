import { AsyncLocalStorage } from 'node:async_hooks';
import { createHash } from 'node:crypto';
import type {
  FastifyInstance,
  FastifyRequest,
  onSendHookHandler,
  preHandlerHookHandler,
  RouteHandlerMethod,
} from 'fastify';
import fp from 'fastify-plugin';
import { type ColumnType, type ControlledTransaction, type Insertable, type Kysely, sql } from 'kysely';
import { Type } from 'typebox';
import type { CreatedAt, Timestamp, UpdatedAt } from '../db/column-types.ts';
import { beforeAcquire } from '../db/database.ts';
import { holdCommitHooks, releaseCommitHooks } from '../db/transactions.ts';
import { stableStringify } from '../lib/stable-stringify.ts';
import { AppError, unprocessable } from './errors.ts';

/**
 * `Idempotency-Key` for POST (the IETF httpapi draft's semantics). A route opts in with one line,
 * `config: { idempotent: true }`, and does its work through `requestDb(request)`. This plugin
 * (registered once, before the modules) then:
 *
 * 1. after validation and the route's own hooks (so after authentication), opens a transaction and
 *    claims `(user, route, key)` in it by inserting a row. The primary key makes the claim atomic:
 *    a concurrent duplicate waits on the uncommitted row (at most `LOCK_WAIT`, then 409), and finds
 *    either the finished result or, if the first one failed, a free key.
 * 2. hands that transaction to the handler (`requestDb`), so the effect is written in it;
 * 3. when the response is a success, stores it in the same transaction and commits: the effect
 *    and its recorded result commit together or not at all. An error response rolls both back,
 *    so a client can fix a rejected request and retry with the same key.
 * 4. replays a finished request's stored status, headers and body (`Idempotent-Replayed: true`),
 *    and answers 422 when the key comes back with a different request (method, URL or body).
 *
 * So after a crash (`kill -9`) at any point, the request either committed with its result (a
 * replay returns it) or left nothing behind (PostgreSQL rolls back a dead client's transaction,
 * and a replay performs it, once). Keys expire after `IDEMPOTENCY_TTL_MS`.
 */

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000;
// A claim committed without a result can only be left by the earlier design (claim, effect and
// result in three transactions): one older than this belonged to a request that died.
const STALE_CLAIM = sql`interval '60 seconds'`;
// How long a duplicate waits for the first request with its key before answering 409.
const LOCK_WAIT = '5s';
const LOCK_NOT_AVAILABLE = '55P03';
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
  interface FastifyInstance {
    /** The routes that honour `Idempotency-Key`, as `METHOD /url` (what the OpenAPI test checks). */
    readonly idempotentRoutes: ReadonlySet<string>;
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
  /** The transaction the claim, the effect and the stored result share; undefined on a replay. */
  trx?: ControlledTransaction<IdempotencyTables>;
}

const claims = new WeakMap<FastifyRequest, Claim>();
// The request whose handler is running, so the database handle can tell whose statement it is.
const handling = new AsyncLocalStorage<FastifyRequest>();

/**
 * The trap `requestDb` exists for, made loud: a handler that queries the app-wide handle while its
 * request holds the claim's transaction. On PGlite (one connection, held by that transaction) the
 * query would wait forever; on PostgreSQL its effect would commit apart from the recorded result,
 * so a crash could perform it twice. Either way it fails here, at once, with the fix in the message.
 */
function refuseAppDbInClaimedHandler() {
  const request = handling.getStore();
  if (!request || !claims.get(request)?.trx) return;
  throw new Error(
    `${request.method} ${request.routeOptions.url} is idempotent and holds its Idempotency-Key transaction, ` +
      'but its handler queried the app-wide database handle: do its database work through requestDb(request, app.db)',
  );
}

// biome-ignore lint/suspicious/noExplicitAny: used with the app's Db and with bare handles alike.
type AnyDb = Kysely<any>;
const table = (db: AnyDb) => db as unknown as Kysely<IdempotencyTables>;

/**
 * The handle a route's work goes through: the idempotency transaction when the request claimed a
 * key (so its effect commits with its recorded result), otherwise the app's database.
 */
export function requestDb<DB>(request: FastifyRequest, db: Kysely<DB>): Kysely<DB> {
  const trx = claims.get(request)?.trx;
  return trx ? (trx as unknown as Kysely<DB>) : db;
}

function fingerprintOf(request: FastifyRequest): string {
  return createHash('sha256')
    .update(stableStringify({ method: request.method, url: request.url, body: request.body ?? null }))
    .digest('hex');
}

const inProgress = () =>
  new AppError(409, 'IDEMPOTENCY_REQUEST_IN_PROGRESS', 'A request with this Idempotency-Key is running', {
    headers: { 'retry-after': '1' },
  });

/** Inserts the claim in a new transaction; returns it, or undefined (rolled back) when the key is taken. */
async function tryClaim(db: Kysely<IdempotencyTables>, row: Insertable<IdempotencyKeysTable>) {
  const trx = await db.startTransaction().execute();
  try {
    await sql`set local lock_timeout = ${sql.lit(LOCK_WAIT)}`.execute(trx);
    const inserted = await trx
      .insertInto('idempotency_keys')
      .values(row)
      .onConflict((oc) => oc.doNothing())
      .returning('key')
      .executeTakeFirst();
    if (inserted) {
      holdCommitHooks(trx);
      return trx;
    }
    await trx.rollback().execute();
    return undefined;
  } catch (error) {
    await trx
      .rollback()
      .execute()
      .catch(() => {});
    if ((error as { code?: string }).code === LOCK_NOT_AVAILABLE) throw inProgress();
    throw error;
  }
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
    const trx = await tryClaim(db, { ...pk, fingerprint, expires_at: new Date(Date.now() + IDEMPOTENCY_TTL_MS) });
    if (trx) {
      claims.set(request, { userId, route, key, trx });
      return;
    }
    const existing = await db
      .selectFrom('idempotency_keys')
      .selectAll()
      .select(sql<boolean>`expires_at <= now()`.as('expired'))
      .select(sql<boolean>`status_code is null and locked_at < now() - ${STALE_CLAIM}`.as('abandoned'))
      .where('user_id', '=', userId)
      .where('route', '=', route)
      .where('key', '=', key)
      .executeTakeFirst();
    if (!existing) continue; // released or purged in between: claim again
    // Compared in the database: a timestamp read into JavaScript loses its microseconds, and an
    // equality on the round-tripped value would never match again.
    if (existing.expired || existing.abandoned) {
      await deleteKey(
        db,
        pk,
        sql`(expires_at <= now() or (status_code is null and locked_at < now() - ${STALE_CLAIM}))`,
      );
      continue;
    }
    if (existing.fingerprint !== fingerprint) {
      throw new AppError(
        422,
        'IDEMPOTENCY_KEY_REUSED',
        'This Idempotency-Key was already used for a different request; use a new key',
      );
    }
    if (existing.status_code === null) throw inProgress();
    claims.set(request, { userId, route, key });
    reply
      .code(existing.status_code)
      .headers(existing.response_headers ?? {})
      .header('idempotent-replayed', 'true');
    return reply.send(existing.response_body ?? undefined);
  }
  throw inProgress();
};

/** Ends a claim's transaction: with the stored response (commit) or without anything (rollback). */
async function settle(request: FastifyRequest, commit?: (trx: Kysely<IdempotencyTables>) => Promise<void>) {
  const current = claims.get(request);
  const trx = current?.trx;
  if (!current || !trx) return;
  current.trx = undefined;
  if (!commit) {
    await trx
      .rollback()
      .execute()
      .catch((error) => request.log.warn({ err: error }, 'idempotency rollback failed'));
    return;
  }
  try {
    await commit(trx);
    await trx.commit().execute();
  } catch (error) {
    await trx
      .rollback()
      .execute()
      .catch(() => {});
    throw error;
  }
  releaseCommitHooks(trx);
}

const record: onSendHookHandler = async function record(request, reply, payload) {
  const current = claims.get(request);
  if (!current?.trx) return payload;
  if (reply.statusCode < 200 || reply.statusCode >= 300) {
    await settle(request);
    return payload;
  }
  const headers: Record<string, string> = {};
  for (const name of REPLAYED_HEADERS) {
    const value = reply.getHeader(name);
    if (value !== undefined) headers[name] = String(value);
  }
  // A failure here (the database went away) fails the response too: nothing was committed, so the
  // client's retry with the same key performs the request, once.
  await settle(request, async (trx) => {
    await trx
      .updateTable('idempotency_keys')
      .set({
        status_code: reply.statusCode,
        response_headers: JSON.stringify(headers),
        response_body: typeof payload === 'string' ? payload : null,
      })
      .where('user_id', '=', current.userId)
      .where('route', '=', current.route)
      .where('key', '=', current.key)
      .execute();
  });
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
    const routes = new Set<string>();
    app.decorate('idempotentRoutes', routes);
    app.addHook('onRoute', (route) => {
      if (!route.config?.idempotent) return;
      for (const method of [route.method].flat()) routes.add(`${method} ${route.url}`);
      const handler = route.handler;
      route.handler = function (this: FastifyInstance, request, reply) {
        return handling.run(request, () => handler.call(this, request, reply));
      } as RouteHandlerMethod;
      route.preHandler = [...asArray(route.preHandler), claim];
      route.onSend = [...asArray(route.onSend), record];
      // A request that never reached onSend (its client went away first) must not hold its
      // transaction open.
      route.onResponse = [...asArray(route.onResponse), async (request) => settle(request)];
      // Document the header on the route without touching a schema object other routes share.
      const schema = route.schema as { headers?: { properties?: Record<string, unknown> } } | undefined;
      if (schema) {
        const headers = schema.headers ?? { type: 'object', properties: {} };
        schema.headers = { ...headers, properties: { ...headers.properties, [HEADER]: IdempotencyKeyHeader } };
      }
    });
    beforeAcquire(app.db, refuseAppDbInClaimedHandler);
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

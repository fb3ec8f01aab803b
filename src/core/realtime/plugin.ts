import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { Counter, Gauge } from 'prom-client';
import type { Config } from '../../config.ts';
import type { Db, Trx } from '../../db/database.ts';
import { afterCommit, inTransaction } from '../../db/transactions.ts';
import { type Broker, LocalBroker } from './broker.ts';
import { PostgresBroker } from './broker-postgres.ts';
import { RedisBroker } from './broker-redis.ts';
import { appendEvent, latestEventId, type NewEvent, pruneEvents, readEvents, type StoredEvent } from './event-log.ts';
import { Hub, type TopicKind } from './hub.ts';

/** Records an event in the current transaction; it is published once the transaction commits. */
export type Emit = (topic: string, event: NewEvent) => Promise<void>;

/** The realtime API other code uses (`app.realtime`). */
export interface Realtime {
  readonly instanceId: string;
  readonly broker: Broker['kind'];
  readonly hub: Hub;
  /** Declares a kind of topic and who may read it (see TopicKind). */
  defineTopic(kind: string, definition: TopicKind): void;
  /**
   * Sends an ephemeral event (no id, not kept: `typing`) to `topic`'s subscribers in `audience`
   * on every instance. Durable events go through `withEvents`.
   */
  publish(topic: string, event: NewEvent & { origin?: string }): void;
  /**
   * Runs `work` in a transaction; each event it emits is appended to its topic's log in that
   * transaction and published to every instance once it has committed (never before, never if it
   * rolls back). A serialization failure or deadlock is a 409, as with inTransaction.
   */
  withEvents<T>(db: Db, work: (trx: Trx, emit: Emit) => Promise<T>): Promise<T>;
  /**
   * Closes every connection, on every instance, that authenticated with one of these sessions of
   * `userId`: the auth module calls it once a log-out or a password change has ended them.
   */
  endSessions(userId: string, sessionIds: readonly string[]): void;
}

declare module 'fastify' {
  interface FastifyInstance {
    realtime: Realtime;
  }
}

const SWEEP_EVERY_MS = 60 * 60 * 1000;
// Session ids per broker message: 100 of them stay well under PostgreSQL NOTIFY's 8000 bytes.
const SESSIONS_PER_MESSAGE = 100;

async function openBroker(app: FastifyInstance, config: Config): Promise<Broker> {
  const wanted = config.realtime.broker;
  const onError = (error: Error) => app.log.warn({ err: error }, 'realtime broker connection error');
  const kind =
    wanted !== 'auto' ? wanted : app.redis ? 'redis' : config.database.kind === 'postgres' ? 'postgres' : 'local';
  if (kind === 'redis') {
    if (!app.redis) throw new Error('REALTIME_BROKER=redis needs REDIS_URL');
    return RedisBroker.connect(app.redis, config.realtime.redisChannel, onError);
  }
  if (kind === 'postgres') {
    if (config.database.kind !== 'postgres') throw new Error('REALTIME_BROKER=postgres needs DATABASE_URL');
    return PostgresBroker.connect(app.db, config.database.url, config.realtime.postgresChannel, onError);
  }
  return new LocalBroker();
}

/**
 * The realtime layer's engine: the event log, the broker that carries events between instances
 * (Redis pub/sub, PostgreSQL LISTEN/NOTIFY or in-process) and the hub of this instance's
 * connections. The WebSocket and SSE endpoints are in routes.ts.
 */
export const realtimePlugin = fp(
  async (app: FastifyInstance, { config }: { config: Config }) => {
    const settings = config.realtime;
    const broker = await openBroker(app, config);
    const hub = new Hub(
      app.db,
      {
        latestId: (topic) => latestEventId(app.db, topic),
        read: (topic, userId, range) => readEvents(app.db, topic, userId, range),
      },
      settings.maxConnectionsPerUser,
    );
    const delivered = new Counter({
      name: 'realtime_events_delivered_total',
      help: 'Live events offered to subscribed connections on this instance',
      registers: [app.metrics],
    });
    hub.onDelivered = (count) => delivered.inc(count);
    const disconnects = new Counter({
      name: 'realtime_disconnects_total',
      help: 'Realtime connections ended, by transport and reason (client_closed, slow_consumer, heartbeat_timeout, rate_limited, session_ended, shutdown)',
      labelNames: ['transport', 'reason'] as const,
      registers: [app.metrics],
    });
    hub.onRemoved = (connection, reason) => disconnects.inc({ transport: connection.transport, reason });
    new Gauge({
      name: 'realtime_connections',
      help: 'Open WebSocket and SSE connections on this instance',
      registers: [app.metrics],
      collect() {
        this.set(hub.connectionCount);
      },
    });
    broker.onMessage((message) => hub.dispatch(message));
    hub.defineTopic('user', { audience: async (_db, userId, id) => (userId === id ? [id] : null) });

    const send = (message: Parameters<Broker['publish']>[0]) => {
      broker.publish(message).catch((error: unknown) => {
        // Subscribers recover a lost durable event from the log at the topic's next event. A lost
        // session end leaves its sockets open until they reconnect, when the session is refused.
        const topic = 'topic' in message ? message.topic : undefined;
        app.log.warn({ err: error, topic }, 'realtime: could not publish');
      });
    };
    const publishStored = (event: StoredEvent) => send({ ...event });

    const realtime: Realtime = {
      instanceId: randomUUID().slice(0, 8),
      broker: broker.kind,
      hub,
      defineTopic: (kind, definition) => hub.defineTopic(kind, definition),
      publish(topic, event) {
        send({
          topic,
          id: null,
          type: event.type,
          data: event.data,
          audience: [...event.audience],
          ...(event.origin ? { origin: event.origin } : {}),
        });
      },
      async withEvents(db, work) {
        const stored: StoredEvent[] = [];
        const result = await inTransaction(db, (trx) =>
          work(trx, async (topic, event) => {
            stored.push(await appendEvent(trx, topic, event));
          }),
        );
        // Published once committed: at once, or when an idempotent request's transaction commits.
        afterCommit(db, () => {
          for (const event of stored) publishStored(event);
        });
        return result;
      },
      endSessions(userId, sessionIds) {
        for (let i = 0; i < sessionIds.length; i += SESSIONS_PER_MESSAGE) {
          send({ userId, sessionsEnded: sessionIds.slice(i, i + SESSIONS_PER_MESSAGE) });
        }
      },
    };
    app.decorate('realtime', realtime);

    const timer = setInterval(() => {
      pruneEvents(app.db, new Date(Date.now() - settings.retentionHours * 3_600_000)).catch((error: unknown) =>
        app.log.warn({ err: error }, 'realtime event sweep failed'),
      );
    }, SWEEP_EVERY_MS);
    timer.unref();
    const heartbeat = setInterval(() => hub.heartbeat(), settings.heartbeatMs);
    heartbeat.unref();
    app.addHook('onClose', async () => {
      clearInterval(timer);
      clearInterval(heartbeat);
      await broker.close();
    });
  },
  { name: 'realtime', dependencies: ['database', 'redis', 'metrics'] },
);

import { setTimeout as sleep } from 'node:timers/promises';
import { type Kysely, sql } from 'kysely';
import pg from 'pg';
import { type Broker, type BrokerMessage, isHint, isSessionsEnded, parseBrokerMessage } from './broker.ts';

// NOTIFY payloads must stay under 8000 bytes; leave room for multi-byte characters' escapes.
const MAX_PAYLOAD_BYTES = 7900;
const RECONNECT_MAX_MS = 10_000;

/**
 * PostgreSQL LISTEN/NOTIFY, for a deployment with a PostgreSQL server and no Redis. NOTIFY goes
 * through the pool like any statement; LISTEN needs a connection of its own that stays open, kept
 * here outside the pool and re-opened (with back-off) whenever it drops. A durable event too large
 * for a NOTIFY payload travels as a hint: receivers read it from the event log.
 */
export class PostgresBroker implements Broker {
  readonly kind = 'postgres';
  readonly #listeners: Array<(message: BrokerMessage) => void> = [];
  // biome-ignore lint/suspicious/noExplicitAny: NOTIFY needs no tables.
  readonly #db: Kysely<any>;
  readonly #url: string;
  readonly #channel: string;
  readonly #onError: (error: Error) => void;
  #client: pg.Client | null = null;
  #closed = false;

  // biome-ignore lint/suspicious/noExplicitAny: see #db.
  private constructor(db: Kysely<any>, url: string, channel: string, onError: (error: Error) => void) {
    this.#db = db;
    this.#url = url;
    this.#channel = channel;
    this.#onError = onError;
  }

  static async connect(
    // biome-ignore lint/suspicious/noExplicitAny: see #db.
    db: Kysely<any>,
    url: string,
    channel: string,
    onError: (error: Error) => void,
  ): Promise<PostgresBroker> {
    const broker = new PostgresBroker(db, url, channel, onError);
    // Like the pool, start even while the database is away (readiness says so), and keep trying.
    await broker.#listen().catch((error: Error) => {
      onError(error);
      void broker.#reconnect();
    });
    return broker;
  }

  async #listen(): Promise<void> {
    const client = new pg.Client({ connectionString: this.#url });
    client.on('notification', (notification) => {
      if (notification.channel !== this.#channel || !notification.payload) return;
      const message = parseBrokerMessage(notification.payload);
      if (message) for (const listener of this.#listeners) listener(message);
    });
    const lost = (error?: Error) => {
      if (this.#client !== client) return;
      this.#client = null;
      client.end().catch(() => {});
      if (error) this.#onError(error);
      if (!this.#closed) void this.#reconnect();
    };
    client.on('error', lost);
    client.on('end', () => lost());
    await client.connect();
    await client.query(`listen ${client.escapeIdentifier(this.#channel)}`);
    this.#client = client;
  }

  async #reconnect(): Promise<void> {
    for (let delay = 250; !this.#closed; delay = Math.min(delay * 2, RECONNECT_MAX_MS)) {
      await sleep(delay, undefined, { ref: false });
      if (this.#closed) return;
      try {
        await this.#listen();
        return;
      } catch (error) {
        this.#onError(error as Error);
      }
    }
  }

  async publish(message: BrokerMessage): Promise<void> {
    let payload = JSON.stringify(message);
    if (Buffer.byteLength(payload) > MAX_PAYLOAD_BYTES) {
      // An ephemeral event has no log entry to point at; ours are a few bytes, so this never drops one in
      // practice. Ended sessions are published in chunks that fit (plugin.ts).
      if (isHint(message) || isSessionsEnded(message) || message.id === null) return;
      payload = JSON.stringify({ topic: message.topic, id: message.id, hint: true });
    }
    await sql`select pg_notify(${this.#channel}, ${payload})`.execute(this.#db);
  }

  onMessage(listener: (message: BrokerMessage) => void): void {
    this.#listeners.push(listener);
  }

  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.length = 0;
    const client = this.#client;
    this.#client = null;
    await client?.end().catch(() => {});
  }
}

import { createParser, type EventSourceMessage } from 'eventsource-parser';
import type { FastifyInstance } from 'fastify';
import WebSocket from 'ws';

/** Realtime clients for tests: a real WebSocket and a real SSE stream to a listening app. */

export interface RealtimeMessage {
  type: string;
  topic?: string;
  id?: number | null;
  data?: Record<string, unknown>;
  [field: string]: unknown;
}

type Predicate<T> = (message: T) => boolean;

/** Collects what arrives and lets a test wait for the next message that matches. */
class Inbox<T> {
  readonly received: T[] = [];
  #waiters: Array<{ predicate: Predicate<T>; resolve: (message: T) => void; from: number }> = [];

  push(message: T) {
    this.received.push(message);
    for (const waiter of [...this.#waiters]) {
      if (waiter.predicate(message)) {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
  }

  /** The first message matching `predicate` received after `from` (index), waiting up to `timeoutMs`. */
  next(predicate: Predicate<T>, timeoutMs = 2000, from = 0): Promise<T> {
    const already = this.received.slice(from).find(predicate);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const waiter = {
        predicate,
        resolve: (m: T) => {
          clearTimeout(timer);
          resolve(m);
        },
        from,
      };
      const timer = setTimeout(() => {
        this.#waiters.splice(this.#waiters.indexOf(waiter), 1);
        reject(
          new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(this.received).slice(0, 2000)}`),
        );
      }, timeoutMs);
      this.#waiters.push(waiter);
    });
  }
}

export function wsUrl(app: FastifyInstance): string {
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('the app is not listening');
  return `ws://127.0.0.1:${address.port}/api/realtime`;
}

export function httpUrl(app: FastifyInstance): string {
  return wsUrl(app)
    .replace(/^ws/, 'http')
    .replace(/\/api\/realtime$/, '');
}

export class WsClient {
  readonly socket: WebSocket;
  readonly inbox = new Inbox<RealtimeMessage>();
  /** Resolves with the close code and reason once the socket is closed. */
  readonly closed: Promise<{ code: number; reason: string }>;
  /** The HTTP status when the server refused the upgrade. */
  readonly refused: Promise<number>;

  constructor(url: string, options: { token?: string; headers?: Record<string, string>; autoPong?: boolean } = {}) {
    const headers = { ...(options.token ? { authorization: `Bearer ${options.token}` } : {}), ...options.headers };
    this.socket = new WebSocket(url, { headers, autoPong: options.autoPong ?? true });
    this.socket.on('message', (data) => this.inbox.push(JSON.parse(String(data))));
    this.closed = new Promise((resolve) =>
      this.socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })),
    );
    this.refused = new Promise((resolve) =>
      this.socket.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0)),
    );
    this.socket.on('error', () => {});
  }

  /** Connects as the bearer of `token` and waits for the server's welcome. */
  static async open(app: FastifyInstance, token: string): Promise<WsClient> {
    const client = new WsClient(wsUrl(app), { token });
    await client.inbox.next((m) => m.type === 'welcome');
    return client;
  }

  send(message: unknown) {
    this.socket.send(typeof message === 'string' ? message : JSON.stringify(message));
  }

  /** Subscribes and waits for the confirmation (or the error). */
  async subscribe(topic: string, after?: number): Promise<RealtimeMessage> {
    const from = this.inbox.received.length;
    this.send({ type: 'subscribe', topic, ...(after === undefined ? {} : { after }) });
    return this.inbox.next((m) => m.topic === topic && (m.type === 'subscribed' || m.type === 'error'), 2000, from);
  }

  next(predicate: Predicate<RealtimeMessage>, timeoutMs?: number) {
    return this.inbox.next(predicate, timeoutMs);
  }

  events(topic: string, type?: string): RealtimeMessage[] {
    return this.inbox.received.filter(
      (m) => m.topic === topic && m.type.includes('.') && m.id != null && (!type || m.type === type),
    );
  }

  close() {
    this.socket.close();
  }
}

export interface SseEvent extends EventSourceMessage {
  json: RealtimeMessage;
}

/** An SSE stream read through fetch (so the test can send headers), parsed by eventsource-parser. */
export class SseClient {
  readonly inbox = new Inbox<SseEvent>();
  readonly #abort = new AbortController();
  status = 0;
  /** True once the server has ended the stream. */
  ended = false;

  static async open(
    app: FastifyInstance,
    topics: string[],
    headers: Record<string, string>,
  ): Promise<{ client: SseClient; response: Response }> {
    const client = new SseClient();
    const response = await fetch(`${httpUrl(app)}/api/realtime/events?topics=${topics.join(',')}`, {
      headers,
      signal: client.#abort.signal,
    });
    client.status = response.status;
    if (response.ok && response.body) {
      const parser = createParser({
        onEvent: (event) => client.inbox.push({ ...event, json: JSON.parse(event.data) }),
      });
      const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
      void (async () => {
        try {
          for (;;) {
            const { value, done } = await reader.read();
            if (done) {
              client.ended = true;
              return;
            }
            parser.feed(value);
          }
        } catch {
          // aborted by close()
        }
      })();
    }
    return { client, response };
  }

  next(predicate: Predicate<SseEvent>, timeoutMs?: number) {
    return this.inbox.next(predicate, timeoutMs);
  }

  close() {
    this.#abort.abort();
  }
}

/** The message a `message.*` event carries. */
export function messageIn(event: { data?: Record<string, unknown> | undefined }): { seq: number; body: string | null } {
  const message = event.data?.message as { seq: number; body: string | null } | undefined;
  if (!message) throw new Error(`not a message event: ${JSON.stringify(event)}`);
  return message;
}

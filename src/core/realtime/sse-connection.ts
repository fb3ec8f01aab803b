import type { ServerResponse } from 'node:http';
import type { FastifyBaseLogger } from 'fastify';
import { Connection, type ConnectionLimits, type ConnectionUser } from './connection.ts';
import type { OutgoingEvent } from './outgoing.ts';

/**
 * Server-Sent Events. The stream follows a fixed list of topics (`?topics=`), and each event's
 * `id:` is the position in every one of them, comma-separated in that order ("12,0,7"): the
 * browser sends the last one back as `Last-Event-ID` when it reconnects, which is all the server
 * needs to resume every topic exactly.
 */
export class SseConnection extends Connection {
  readonly transport = 'sse';
  readonly #response: ServerResponse;
  readonly #positions: number[];
  readonly #index: Map<string, number>;

  constructor(
    response: ServerResponse,
    topics: string[],
    instanceId: string,
    user: ConnectionUser,
    limits: ConnectionLimits,
    log: FastifyBaseLogger,
  ) {
    super(instanceId, user, limits, log);
    this.#response = response;
    this.#positions = topics.map(() => 0);
    this.#index = new Map(topics.map((topic, i) => [topic, i]));
    response.on('close', () => this.closedBy('client_closed'));
  }

  protected bufferedBytes(): number {
    return this.#response.writableLength;
  }

  protected write(text: string, event?: OutgoingEvent, position?: number): void {
    if (event && event.id !== null && position !== undefined) this.started(event.topic, position);
    const type = event?.type ?? (JSON.parse(text) as { type: string }).type;
    // Every message carries the whole position list, so whatever the browser saw last resumes all topics.
    this.#response.write(`id: ${this.#positions.join(',')}\nevent: ${type}\ndata: ${text}\n\n`);
  }

  override started(topic: string, position: number): void {
    const index = this.#index.get(topic);
    if (index !== undefined) this.#positions[index] = position;
  }

  protected end(): void {
    this.#response.end();
  }

  heartbeat(): void {
    // A comment line: keeps proxies from timing the stream out, and a write to a dead peer fails.
    if (!this.closed) this.#response.write(': ping\n\n');
  }
}

import type { FastifyBaseLogger } from 'fastify';
import type { ControlMessage, OutgoingEvent } from './outgoing.ts';
import type { Subscription } from './subscription.ts';

/** Close codes a client sees (WebSocket); docs/realtime.md lists them. */
export const CloseCode = {
  normal: 1000,
  goingAway: 1001,
  policyViolation: 1008,
  /** Also when the session the connection authenticated with ends (log-out, password change). */
  unauthorized: 4001,
  slowConsumer: 4008,
  tooManyConnections: 4029,
} as const;

export interface ConnectionLimits {
  /** Bytes queued for a client, not yet taken by it, past which it is cut off. */
  sendBufferBytes: number;
  /** Client-sent messages per second (a token bucket holding twice this much burst). */
  clientEventsPerSecond: number;
}

/** Who a connection belongs to, as the authenticator found them. */
export interface ConnectionUser {
  id: string;
  sessionId?: string | undefined;
}

let sequence = 0;

/**
 * One client's open stream, WebSocket or SSE. What both share: whose it is, what it follows, the
 * bound on what may wait in its send buffer, and the rate limit on what it sends.
 */
export abstract class Connection {
  abstract readonly transport: 'websocket' | 'sse';
  /** Unique across instances (an ephemeral event names the connection it came from). */
  readonly key: string;
  readonly userId: string;
  /** The session the connection authenticated with: its end closes the connection. */
  readonly sessionId: string | undefined;
  readonly log: FastifyBaseLogger;
  readonly subscriptions = new Map<string, Subscription>();
  closed = false;
  /** Set by the hub: called once, whatever ended the connection. */
  onClosed: ((reason: string) => void) | undefined;
  readonly #limits: ConnectionLimits;
  #tokens: number;
  #refilledAt = Date.now();

  constructor(instanceId: string, user: ConnectionUser, limits: ConnectionLimits, log: FastifyBaseLogger) {
    sequence += 1;
    this.key = `${instanceId}:${sequence}`;
    this.userId = user.id;
    this.sessionId = user.sessionId;
    this.#limits = limits;
    this.#tokens = limits.clientEventsPerSecond * 2;
    this.log = log;
  }

  /** Bytes written but not yet taken by the client (ours and the socket's buffers). */
  protected abstract bufferedBytes(): number;
  protected abstract write(text: string, event?: OutgoingEvent, position?: number): void;
  /** Ends the stream; `code` is a CloseCode (WebSocket only). */
  protected abstract end(code: number, reason: string): void;
  /** Called every heartbeat interval: ping, and drop a client that did not answer the last one. */
  abstract heartbeat(): void;

  /** A subscription now stands after event `position` of `topic` (SSE puts it in its ids). */
  started(_topic: string, _position: number): void {}

  deliver(event: OutgoingEvent, position: number): void {
    this.#send(event.json, event, position);
  }

  control(message: ControlMessage): void {
    this.#send(JSON.stringify(message));
  }

  #send(text: string, event?: OutgoingEvent, position?: number): void {
    if (this.closed) return;
    // Never let a client that does not read grow our memory: past the bound, it is cut off.
    if (this.bufferedBytes() + text.length > this.#limits.sendBufferBytes) {
      this.close(CloseCode.slowConsumer, 'slow consumer: send buffer full', 'slow_consumer');
      return;
    }
    this.write(text, event, position);
  }

  /** Takes a token for one client-sent message; false when the client is over its rate. */
  allowClientMessage(): boolean {
    const now = Date.now();
    const rate = this.#limits.clientEventsPerSecond;
    this.#tokens = Math.min(rate * 2, this.#tokens + ((now - this.#refilledAt) / 1000) * rate);
    this.#refilledAt = now;
    if (this.#tokens < 1) return false;
    this.#tokens -= 1;
    return true;
  }

  close(code: number, reason: string, why = 'closed'): void {
    if (this.closed) return;
    this.closed = true;
    this.end(code, reason);
    this.closedBy(why);
  }

  /** The transport reports the stream gone (client hung up, socket error). */
  protected closedBy(why: string): void {
    this.closed = true;
    const onClosed = this.onClosed;
    this.onClosed = undefined;
    onClosed?.(why);
  }
}

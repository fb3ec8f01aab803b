import { EventEmitter } from 'node:events';

/**
 * How an event published on one instance reaches the subscribers on every instance. Three
 * transports, one contract: `publish` hands a message to every instance's `onMessage` (this one
 * included), at most once, in the order one publisher sent them. Nothing more is promised — a
 * message can be lost on a broken connection, or overtaken by another publisher's — because the
 * event log makes up for both (see subscription.ts).
 */
export interface Broker {
  readonly kind: 'redis' | 'postgres' | 'local';
  publish(message: BrokerMessage): Promise<void>;
  onMessage(listener: (message: BrokerMessage) => void): void;
  close(): Promise<void>;
}

/** A whole event: what a subscriber needs to deliver it without reading the database. */
export interface EventMessage {
  topic: string;
  /** The event's id in the topic's log; null for an ephemeral event (typing), which has none. */
  id: number | null;
  type: string;
  data: unknown;
  audience: string[];
  /** The connection an ephemeral event came from: it is not echoed back there. */
  origin?: string;
}

/**
 * "Event `id` of `topic` is committed; read it from the log": what a transport that cannot carry
 * a large payload (PostgreSQL NOTIFY, 8000 bytes) sends instead of the event.
 */
export interface HintMessage {
  topic: string;
  id: number;
  hint: true;
}

/**
 * "These sessions of this user have ended (log-out, password change…)": every instance closes the
 * connections that authenticated with one of them.
 */
export interface SessionsEndedMessage {
  userId: string;
  sessionsEnded: string[];
}

export type BrokerMessage = EventMessage | HintMessage | SessionsEndedMessage;

export function isHint(message: BrokerMessage): message is HintMessage {
  return 'hint' in message;
}

export function isSessionsEnded(message: BrokerMessage): message is SessionsEndedMessage {
  return 'sessionsEnded' in message;
}

/** Parses what came off the wire; anything malformed is dropped (null), never thrown. */
export function parseBrokerMessage(text: string): BrokerMessage | null {
  try {
    const value = JSON.parse(text) as Partial<EventMessage & HintMessage & SessionsEndedMessage>;
    if (typeof value.userId === 'string' && Array.isArray(value.sessionsEnded)) {
      const sessionIds = value.sessionsEnded.filter((id): id is string => typeof id === 'string');
      return { userId: value.userId, sessionsEnded: sessionIds };
    }
    if (typeof value.topic !== 'string') return null;
    if (value.hint === true && typeof value.id === 'number') return { topic: value.topic, id: value.id, hint: true };
    if (typeof value.type !== 'string' || !Array.isArray(value.audience)) return null;
    if (value.id !== null && typeof value.id !== 'number') return null;
    return value as EventMessage;
  } catch {
    return null;
  }
}

/** One process (PGlite, which has no server to share): an in-memory emitter. */
export class LocalBroker implements Broker {
  readonly kind = 'local';
  readonly #emitter = new EventEmitter();

  async publish(message: BrokerMessage): Promise<void> {
    // Delivered on a later tick, as a network transport would: never inside the publisher's call.
    setImmediate(() => this.#emitter.emit('message', message));
  }

  onMessage(listener: (message: BrokerMessage) => void): void {
    this.#emitter.on('message', listener);
  }

  async close(): Promise<void> {
    this.#emitter.removeAllListeners();
  }
}

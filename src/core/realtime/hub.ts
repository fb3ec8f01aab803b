import type { Db } from '../../db/database.ts';
import { type BrokerMessage, isHint, isSessionsEnded } from './broker.ts';
import { CloseCode, type Connection } from './connection.ts';
import { type OutgoingEvent, outgoingOf } from './outgoing.ts';
import { type EventSource, Subscription } from './subscription.ts';

/**
 * A kind of topic (`conversation`, `project`, `user`), defined by the module that owns it. Topics
 * are named `<kind>:<uuid>`.
 */
export interface TopicKind {
  /**
   * Everyone who may read topic `<kind>:<id>` now — or null when `userId` is not one of them, so
   * a topic the user cannot see is indistinguishable from one that does not exist.
   */
  audience(db: Db, userId: string, id: string): Promise<readonly string[] | null>;
  /** Event types clients may send on this topic (ephemeral, e.g. `typing`). */
  clientEvents?: readonly string[];
}

const TOPIC = /^([a-z][a-z_]*):([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})$/;
export const MAX_SUBSCRIPTIONS = 100;

export type SubscribeResult = 'subscribed' | 'already_subscribed' | 'not_found' | 'too_many';

/**
 * This instance's connections and what each follows. Every event the broker brings is offered to
 * the subscribers of its topic here, after checking its audience: delivery, not subscription, is
 * where access is enforced, so a member removed from a conversation gets nothing more of it from
 * the event that removed them on — on every instance, whichever one they are connected to.
 */
export class Hub {
  readonly #kinds = new Map<string, TopicKind>();
  readonly #topics = new Map<string, Set<Subscription>>();
  readonly #users = new Map<string, Set<Connection>>();
  readonly #db: Db;
  readonly #source: EventSource;
  readonly #maxConnectionsPerUser: number;
  onDelivered: ((count: number) => void) | undefined;
  onRemoved: ((connection: Connection, reason: string) => void) | undefined;

  constructor(db: Db, source: EventSource, maxConnectionsPerUser: number) {
    this.#db = db;
    this.#source = source;
    this.#maxConnectionsPerUser = maxConnectionsPerUser;
  }

  defineTopic(kind: string, definition: TopicKind): void {
    if (this.#kinds.has(kind)) throw new Error(`realtime topic kind "${kind}" is defined twice`);
    this.#kinds.set(kind, definition);
  }

  /** `{ kind, id }` of a well-formed topic of a defined kind, else undefined. */
  parseTopic(topic: string): { kind: TopicKind; id: string } | undefined {
    const match = TOPIC.exec(topic);
    const kind = match && this.#kinds.get(match[1] as string);
    return kind ? { kind, id: match[2] as string } : undefined;
  }

  hasRoomFor(userId: string): boolean {
    return (this.#users.get(userId)?.size ?? 0) < this.#maxConnectionsPerUser;
  }

  get connectionCount(): number {
    let count = 0;
    for (const connections of this.#users.values()) count += connections.size;
    return count;
  }

  /** Registers an authenticated connection; false (and nothing registered) when the user is at the limit. */
  add(connection: Connection): boolean {
    if (!this.hasRoomFor(connection.userId)) return false;
    const connections = this.#users.get(connection.userId) ?? new Set<Connection>();
    this.#users.set(connection.userId, connections);
    connections.add(connection);
    connection.onClosed = (why) => {
      for (const subscription of connection.subscriptions.values()) this.#forget(subscription);
      connection.subscriptions.clear();
      const set = this.#users.get(connection.userId);
      set?.delete(connection);
      if (set?.size === 0) this.#users.delete(connection.userId);
      this.onRemoved?.(connection, why);
    };
    return true;
  }

  /** The id of the topic's latest event (0 when none). */
  latestId(topic: string): Promise<number> {
    return this.#source.latestId(topic);
  }

  /** Whether `userId` may read `topic` now (its kind's audience includes them). */
  async audienceFor(userId: string, topic: string): Promise<readonly string[] | null> {
    const parsed = this.parseTopic(topic);
    if (!parsed) return null;
    const audience = await parsed.kind.audience(this.#db, userId, parsed.id);
    return audience?.includes(userId) ? audience : null;
  }

  async subscribe(connection: Connection, topic: string, after?: number): Promise<SubscribeResult> {
    if (connection.subscriptions.has(topic)) return 'already_subscribed';
    if (connection.subscriptions.size >= MAX_SUBSCRIPTIONS) return 'too_many';
    if (!(await this.audienceFor(connection.userId, topic))) return 'not_found';
    if (connection.closed || connection.subscriptions.has(topic)) return 'already_subscribed';
    const subscription = new Subscription(connection, topic, this.#source, (s) => this.#revoke(s));
    connection.subscriptions.set(topic, subscription);
    const subscribers = this.#topics.get(topic) ?? new Set<Subscription>();
    this.#topics.set(topic, subscribers);
    // Offered live events from here on; start() holds them until the replay is done.
    subscribers.add(subscription);
    await subscription.start(after);
    return 'subscribed';
  }

  unsubscribe(connection: Connection, topic: string): boolean {
    const subscription = connection.subscriptions.get(topic);
    if (!subscription) return false;
    this.#revoke(subscription);
    return true;
  }

  #revoke(subscription: Subscription): void {
    subscription.end();
    subscription.connection.subscriptions.delete(subscription.topic);
    this.#forget(subscription);
  }

  #forget(subscription: Subscription): void {
    subscription.end();
    const subscribers = this.#topics.get(subscription.topic);
    subscribers?.delete(subscription);
    if (subscribers?.size === 0) this.#topics.delete(subscription.topic);
  }

  /** An event from the broker (from any instance, this one included). */
  dispatch(message: BrokerMessage): void {
    if (isSessionsEnded(message)) {
      this.endSessions(message.userId, message.sessionsEnded);
      return;
    }
    const subscribers = this.#topics.get(message.topic);
    if (!subscribers) return;
    if (isHint(message)) {
      const event: OutgoingEvent = { topic: message.topic, id: message.id, type: '', json: '' };
      for (const subscription of [...subscribers]) subscription.offer({ event, hint: true });
      return;
    }
    const audience = new Set(message.audience);
    const event = outgoingOf(message);
    let delivered = 0;
    for (const subscription of [...subscribers]) {
      if (audience.has(subscription.connection.userId)) {
        subscription.offer({ event, origin: message.origin });
        delivered += 1;
      } else if (message.id !== null) {
        // Left out of a durable event's audience: no longer allowed to read the topic.
        this.#revoke(subscription);
        subscription.connection.control({ type: 'unsubscribed', topic: message.topic, reason: 'forbidden' });
      }
    }
    this.onDelivered?.(delivered);
  }

  /**
   * Closes this instance's connections that authenticated with one of `sessionIds` (4001: the
   * client must authenticate again; its reconnect with the old credentials is refused).
   */
  endSessions(userId: string, sessionIds: readonly string[]): void {
    const ended = new Set(sessionIds);
    for (const connection of [...(this.#users.get(userId) ?? [])]) {
      if (!connection.sessionId || !ended.has(connection.sessionId)) continue;
      connection.control({ type: 'error', code: 'SESSION_ENDED', message: 'The session of this connection has ended' });
      connection.close(CloseCode.unauthorized, 'session ended', 'session_ended');
    }
  }

  heartbeat(): void {
    for (const connections of [...this.#users.values()])
      for (const connection of [...connections]) connection.heartbeat();
  }

  closeAll(code: number, reason: string): void {
    for (const connections of [...this.#users.values()]) {
      for (const connection of [...connections]) connection.close(code, reason, 'shutdown');
    }
  }
}

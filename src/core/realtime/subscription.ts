import type { Connection } from './connection.ts';
import type { LoggedEvent } from './event-log.ts';
import { type OutgoingEvent, outgoing } from './outgoing.ts';

const PAGE = 500;

/** What a subscription reads the event log through (bound to the app's database by the hub). */
export interface EventSource {
  latestId(topic: string): Promise<number>;
  read(
    topic: string,
    userId: string,
    range: { after: number; upTo?: number | undefined; limit: number },
  ): Promise<LoggedEvent[]>;
}

/** A live event as the hub offers it; `hint` means "read event `id` from the log". */
export interface Offer {
  event: OutgoingEvent;
  hint?: boolean;
  origin?: string | undefined;
}

/**
 * One connection following one topic, sending each event of the topic exactly once and in order.
 *
 * `position` is the id of the last event this subscriber has been sent (or has been shown not to
 * be allowed to see). A live event with the next id is sent at once. Anything else — the first
 * events after (re)subscribing, an event that overtook another, a message the broker lost, a hint
 * — is a gap, and a gap is filled from the event log, which (numbered in commit order) holds every
 * event up to the one just received. Live events arriving while a gap is being filled wait in
 * `queue` and are then sent, skipping any the log already supplied: nothing lost, nothing twice.
 */
export class Subscription {
  readonly connection: Connection;
  readonly topic: string;
  #position = 0;
  #queue: Offer[] | null = [];
  #started = false;
  #ended = false;
  readonly #source: EventSource;
  readonly #revoke: (subscription: Subscription) => void;

  constructor(
    connection: Connection,
    topic: string,
    source: EventSource,
    revoke: (subscription: Subscription) => void,
  ) {
    this.connection = connection;
    this.topic = topic;
    this.#source = source;
    this.#revoke = revoke;
  }

  get position(): number {
    return this.#position;
  }

  /**
   * Starts after event `after` (replaying what followed it from the log), or from now. Live events
   * that arrive meanwhile are held, so this must be called once the hub already offers them.
   */
  async start(after: number | undefined): Promise<void> {
    const latest = await this.#source.latestId(this.topic);
    if (after === undefined || after > latest) {
      // A client that claims to have seen the future (a restored database) starts over from now.
      if (after !== undefined) this.connection.control({ type: 'resync', topic: this.topic });
      this.#position = latest;
    } else {
      this.#position = after;
    }
    this.connection.started(this.topic, this.#position);
    this.connection.control({ type: 'subscribed', topic: this.topic, id: this.#position });
    await this.#catchUp(after === undefined || after > latest ? this.#position : latest);
    this.#started = true;
    await this.#drain();
  }

  offer(offer: Offer): void {
    if (this.#ended) return;
    const { id } = offer.event;
    if (id === null) {
      // Ephemeral: only worth sending live, and never back to the connection it came from.
      if (!this.#queue && offer.origin !== this.connection.key) this.connection.deliver(offer.event, this.#position);
      return;
    }
    if (this.#queue) {
      this.#queue.push(offer);
      return;
    }
    if (id <= this.#position) return;
    if (id === this.#position + 1 && !offer.hint) {
      this.#send(offer.event);
      return;
    }
    this.#queue = [offer];
    void this.#drain();
  }

  /** The subscriber lost access: stop, without sending anything further. */
  end(): void {
    this.#ended = true;
    this.#queue = null;
  }

  #send(event: OutgoingEvent): void {
    this.#position = event.id ?? this.#position;
    this.connection.deliver(event, this.#position);
  }

  async #drain(): Promise<void> {
    try {
      while (!this.#ended && this.#queue?.length) {
        const pending = this.#queue.sort((a, b) => (a.event.id ?? 0) - (b.event.id ?? 0));
        const next = pending.shift() as Offer;
        const id = next.event.id as number;
        if (id <= this.#position) continue;
        if (id === this.#position + 1 && !next.hint) this.#send(next.event);
        else await this.#catchUp(id);
      }
      if (!this.#ended) this.#queue = null;
    } catch (error) {
      // The log could not be read: the subscriber cannot be kept gap-free, so it is told to resubscribe.
      this.connection.log.warn({ err: error, topic: this.topic }, 'realtime: could not read the event log');
      this.#revoke(this);
      this.connection.control({ type: 'unsubscribed', topic: this.topic, reason: 'unavailable' });
    }
  }

  /** Sends, from the log, every event after `position` up to `upTo` that this subscriber may read. */
  async #catchUp(upTo: number): Promise<void> {
    const userId = this.connection.userId;
    while (!this.#ended && this.#position < upTo) {
      const rows = await this.#source.read(this.topic, userId, { after: this.#position, upTo, limit: PAGE });
      const first = rows[0];
      if (!first || first.id > this.#position + 1) {
        // Pruned from the log (older than the retention): the client must reload the topic's state.
        this.connection.control({ type: 'resync', topic: this.topic });
        if (!first) {
          this.#position = upTo;
          return;
        }
      }
      for (const row of rows) {
        if (this.#ended) return;
        if (row.visible) this.#send(outgoing(this.topic, row.id, row.type, row.data));
        else if (this.#started) {
          // A live subscriber left out of an event's audience has lost access to the topic.
          this.#revoke(this);
          this.connection.control({ type: 'unsubscribed', topic: this.topic, reason: 'forbidden' });
          return;
        } else this.#position = row.id; // from before the user could read the topic
      }
      if (rows.length < PAGE) this.#position = Math.max(this.#position, upTo);
    }
  }
}

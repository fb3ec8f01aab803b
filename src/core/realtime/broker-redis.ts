import type { Redis } from 'ioredis';
import { type Broker, type BrokerMessage, parseBrokerMessage } from './broker.ts';

/**
 * Redis pub/sub on one channel: every instance subscribes, and keeps only the topics its own
 * connections follow. The subscriber is a connection of its own (a subscribed Redis connection can
 * do nothing else); ioredis reconnects and re-subscribes it by itself after a network blip.
 */
export class RedisBroker implements Broker {
  readonly kind = 'redis';
  readonly #publisher: Redis;
  readonly #subscriber: Redis;
  readonly #channel: string;
  readonly #listeners: Array<(message: BrokerMessage) => void> = [];

  private constructor(publisher: Redis, subscriber: Redis, channel: string) {
    this.#publisher = publisher;
    this.#subscriber = subscriber;
    this.#channel = channel;
  }

  static async connect(publisher: Redis, channel: string, onError: (error: Error) => void): Promise<RedisBroker> {
    // Unlike the shared client, a subscriber waits out an outage: it has no request to fail fast.
    const subscriber = publisher.duplicate({ maxRetriesPerRequest: null, lazyConnect: true });
    subscriber.on('error', onError);
    const broker = new RedisBroker(publisher, subscriber, channel);
    subscriber.on('message', (from: string, text: string) => {
      if (from !== channel) return;
      const message = parseBrokerMessage(text);
      if (message) for (const listener of broker.#listeners) listener(message);
    });
    await subscriber.connect();
    await subscriber.subscribe(channel);
    return broker;
  }

  async publish(message: BrokerMessage): Promise<void> {
    await this.#publisher.publish(this.#channel, JSON.stringify(message));
  }

  onMessage(listener: (message: BrokerMessage) => void): void {
    this.#listeners.push(listener);
  }

  async close(): Promise<void> {
    this.#listeners.length = 0;
    await this.#subscriber.quit().catch(() => this.#subscriber.disconnect());
  }
}

import { closeRedisClient, waitForRedisReady, type RedisClient, type RedisKeys } from '@pos-link/platform';
import type { RelayBus, RelayUnsubscribe } from './relay-bus';
import { encodeRelayMessage, parseRelayMessage, type RelayMessage } from './relay-messages';

/** How long `subscribe` waits for the subscriber connection before giving up (boot fails visibly). */
const SUBSCRIBER_READY_MS = 5_000;

/**
 * The relay bus over Redis pub/sub: replica `R` receives on `<prefix>:relay:replica:<R>`. Channels are
 * per replica, not per site (a replica holds terminals of many sites), so they carry no hash tag.
 * Subscribing needs a connection of its own (`duplicate()` of the app's, owned and closed here).
 *
 * Pub/sub is fire-and-forget: a message to a replica that is gone is lost — the sender's ack timeout
 * covers that (`TerminalRelay`).
 */
export class RedisRelayBus implements RelayBus {
  readonly #redis: RedisClient;
  readonly #keys: RedisKeys;
  readonly #onError: (error: unknown) => void;
  readonly #handlers = new Map<string, (text: string) => void>();
  #subscriber: RedisClient | undefined;

  /**
   * @param redis the app's command connection (not closed here)
   * @param keys the app's `RedisKeys`
   * @param onError receives the subscriber connection's errors (ioredis reconnects and resubscribes by itself)
   */
  constructor(redis: RedisClient, keys: RedisKeys, onError: (error: unknown) => void) {
    this.#redis = redis;
    this.#keys = keys;
    this.#onError = onError;
  }

  /** The channel of one replica. */
  channelOf(replicaId: string): string {
    return this.#keys.global('relay', 'replica', replicaId);
  }

  /** @inheritdoc */
  async subscribe(
    replicaId: string,
    onMessage: (message: RelayMessage) => void,
    onInvalid: (error: unknown) => void,
  ): Promise<RelayUnsubscribe> {
    const channel = this.channelOf(replicaId);
    if (this.#handlers.has(channel)) throw new TypeError(`replica ${replicaId} is already subscribed`);
    const subscriber = await this.#connect();
    this.#handlers.set(channel, (text) => {
      let message: RelayMessage;
      try {
        message = parseRelayMessage(text);
      } catch (error) {
        onInvalid(error);
        return;
      }
      onMessage(message);
    });
    try {
      await subscriber.subscribe(channel);
    } catch (error) {
      this.#handlers.delete(channel);
      throw error;
    }
    return async () => {
      if (!this.#handlers.delete(channel)) return;
      await subscriber.unsubscribe(channel).catch(() => undefined);
    };
  }

  /** @inheritdoc */
  async publish(replicaId: string, message: RelayMessage): Promise<void> {
    await this.#redis.publish(this.channelOf(replicaId), encodeRelayMessage(message));
  }

  /** @inheritdoc */
  async close(): Promise<void> {
    this.#handlers.clear();
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    if (subscriber !== undefined) await closeRedisClient(subscriber);
  }

  async #connect(): Promise<RedisClient> {
    if (this.#subscriber === undefined) {
      const subscriber = this.#redis.duplicate();
      subscriber.on('message', (channel: string, text: string) => this.#handlers.get(channel)?.(text));
      subscriber.on('error', (error: unknown) => this.#onError(error));
      this.#subscriber = subscriber;
    }
    await waitForRedisReady(this.#subscriber, SUBSCRIBER_READY_MS);
    return this.#subscriber;
  }
}

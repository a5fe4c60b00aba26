import { RedisKeys, type RedisClient } from '@pos-link/platform';
import { duplicateConnection, quitConnection } from '../redis-connection';
import type { BusUnsubscribe, SiteEventBus, SiteEventTopic } from './site-event-bus';

/** Options of {@link RedisSiteEventBus}. */
export interface RedisSiteEventBusOptions {
  /** The app's command connection (publishes; duplicated once for the subscriber connection). */
  readonly redis: RedisClient;
  /** `REDIS_PREFIX`. */
  readonly prefix: string;
  /** Receives subscriber-connection errors and listener exceptions (default: ignored). */
  readonly onError?: (error: unknown) => void;
}

/**
 * The distributed `SiteEventBus`: Redis pub/sub on `<prefix>:{site:<id>}:ws:<topic>` — under the site's
 * hash tag like every key of a site (DESIGN §2/§8), so a Cluster deployment can move to sharded pub/sub
 * (`SSUBSCRIBE`) without renaming. One subscriber connection per bus (per replica), subscribed only to
 * the channels of sites that have clients here; ioredis re-subscribes after a reconnect.
 */
export class RedisSiteEventBus implements SiteEventBus {
  readonly #redis: RedisClient;
  readonly #keys: RedisKeys;
  readonly #onError: (error: unknown) => void;
  readonly #channels = new Map<string, { readonly listeners: Set<(text: string) => void>; ready: Promise<unknown> }>();
  #subscriber: RedisClient | undefined;
  #closed = false;

  /** @throws TypeError on a bad prefix */
  constructor(options: RedisSiteEventBusOptions) {
    this.#redis = options.redis;
    this.#keys = new RedisKeys(options.prefix);
    this.#onError = options.onError ?? (() => undefined);
  }

  /** The channel of `(siteId, topic)`, e.g. `poslink:{site:42}:ws:to-pos`. */
  channel(siteId: string, topic: SiteEventTopic): string {
    if (topic !== 'to-pos' && topic !== 'to-kitchen') throw new TypeError('topic must be to-pos or to-kitchen');
    return this.#keys.site(siteId, 'ws', topic);
  }

  /** {@inheritDoc SiteEventBus.publish} */
  async publish(siteId: string, topic: SiteEventTopic, text: string): Promise<void> {
    if (typeof text !== 'string') throw new TypeError('RedisSiteEventBus.publish: text must be a string');
    await this.#redis.publish(this.channel(siteId, topic), text);
  }

  /** {@inheritDoc SiteEventBus.subscribe} */
  async subscribe(siteId: string, topic: SiteEventTopic, listener: (text: string) => void): Promise<BusUnsubscribe> {
    if (typeof listener !== 'function') throw new TypeError('RedisSiteEventBus.subscribe: listener must be a function');
    if (this.#closed) throw new TypeError('RedisSiteEventBus is closed');
    const channel = this.channel(siteId, topic);
    const subscriber = this.#connect();
    let entry = this.#channels.get(channel);
    if (entry === undefined) {
      entry = { listeners: new Set(), ready: subscriber.subscribe(channel) };
      this.#channels.set(channel, entry);
    }
    const own = (text: string): void => listener(text);
    entry.listeners.add(own);
    const current = entry;
    try {
      await current.ready;
    } catch (error) {
      current.listeners.delete(own);
      if (current.listeners.size === 0 && this.#channels.get(channel) === current) this.#channels.delete(channel);
      throw error;
    }
    return async () => {
      current.listeners.delete(own);
      if (current.listeners.size > 0 || this.#channels.get(channel) !== current || this.#closed) return;
      this.#channels.delete(channel);
      try {
        await subscriber.unsubscribe(channel);
      } catch (error) {
        this.#onError(error); // the connection is down: it re-subscribes nothing it no longer tracks
      }
    };
  }

  /** {@inheritDoc SiteEventBus.close} */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    this.#channels.clear();
    const subscriber = this.#subscriber;
    this.#subscriber = undefined;
    if (subscriber !== undefined) {
      subscriber.off('message', this.#onMessage);
      await quitConnection(subscriber);
    }
  }

  #connect(): RedisClient {
    if (this.#subscriber !== undefined) return this.#subscriber;
    const subscriber = duplicateConnection(this.#redis);
    subscriber.on('error', this.#onError);
    subscriber.on('message', this.#onMessage);
    this.#subscriber = subscriber;
    return subscriber;
  }

  readonly #onMessage = (channel: string, message: string): void => {
    const entry = this.#channels.get(channel);
    if (entry === undefined) return;
    for (const listener of entry.listeners) {
      try {
        listener(message);
      } catch (error) {
        this.#onError(error);
      }
    }
  };
}

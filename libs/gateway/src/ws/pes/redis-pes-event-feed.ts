import { RedisKeys, type RedisClient } from '@pos-link/platform';
import { PES_TAIL_BATCH, PES_TAIL_BLOCK_MS } from '../ws-limits';
import type { FeedUnsubscribe, PesEventFeed, PesFeedEntry } from './pes-event-feed';
import { RedisStreamTail } from './redis-stream-tail';
import { toFeedEntry, type RawStreamEntry } from './stream-entry';
import { STREAM_START_ID, isStreamId, nextStreamId } from './stream-id';

/** Options of {@link RedisPesEventFeed}. */
export interface RedisPesEventFeedOptions {
  /** The app's command connection (range reads; duplicated once per tailed site). */
  readonly redis: RedisClient;
  /** `REDIS_PREFIX`. */
  readonly prefix: string;
  /** Receives tail connection errors and listener exceptions (default: ignored). */
  readonly onError?: (error: unknown) => void;
  /** Entries per `XREAD` of a tail (default {@link PES_TAIL_BATCH}). */
  readonly tailBatch?: number;
  /** `BLOCK` of a tail's `XREAD` (default {@link PES_TAIL_BLOCK_MS}). */
  readonly tailBlockMs?: number;
}

/**
 * The distributed `PesEventFeed` over the ingress's Redis Streams (DESIGN §8). Catch-up reads are
 * `XRANGE` on the command connection; live entries come from ONE blocking `XREAD` loop per site and
 * replica ({@link RedisStreamTail}, on its own connection), shared by every client of that site here.
 */
export class RedisPesEventFeed implements PesEventFeed {
  readonly #redis: RedisClient;
  readonly #keys: RedisKeys;
  readonly #onError: (error: unknown) => void;
  readonly #batch: number;
  readonly #blockMs: number;
  readonly #tails = new Map<string, RedisStreamTail>();
  #closed = false;

  /** @throws TypeError on a bad prefix or limits */
  constructor(options: RedisPesEventFeedOptions) {
    this.#redis = options.redis;
    this.#keys = new RedisKeys(options.prefix);
    this.#onError = options.onError ?? (() => undefined);
    this.#batch = options.tailBatch ?? PES_TAIL_BATCH;
    this.#blockMs = options.tailBlockMs ?? PES_TAIL_BLOCK_MS;
    if (!Number.isSafeInteger(this.#batch) || this.#batch < 1) throw new TypeError('tailBatch must be a positive integer');
    if (!Number.isSafeInteger(this.#blockMs) || this.#blockMs < 1) throw new TypeError('tailBlockMs must be a positive integer');
  }

  /** The stream key of a site: `<prefix>:{site:<id>}:pes:events` (DESIGN §8). */
  streamKey(siteId: string): string {
    return this.#keys.site(siteId, 'pes', 'events');
  }

  /** {@inheritDoc PesEventFeed.range} */
  async range(siteId: string, afterId: string, count: number): Promise<PesFeedEntry[]> {
    if (!isStreamId(afterId)) throw new TypeError('afterId must be a full stream id');
    if (!Number.isSafeInteger(count) || count < 1) throw new TypeError('count must be a positive integer');
    const start = nextStreamId(afterId);
    if (start === undefined) return [];
    const raw = (await this.#redis.xrange(this.streamKey(siteId), start, '+', 'COUNT', count)) as RawStreamEntry[];
    return raw.map(toFeedEntry);
  }

  /** {@inheritDoc PesEventFeed.lastId} */
  async lastId(siteId: string): Promise<string> {
    const raw = (await this.#redis.xrevrange(this.streamKey(siteId), '+', '-', 'COUNT', 1)) as RawStreamEntry[];
    return raw[0]?.[0] ?? STREAM_START_ID;
  }

  /** {@inheritDoc PesEventFeed.tail} */
  async tail(siteId: string, listener: (entry: PesFeedEntry) => void): Promise<FeedUnsubscribe> {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    if (this.#closed) throw new TypeError('RedisPesEventFeed is closed');
    const key = this.streamKey(siteId);
    let tail = this.#tails.get(key);
    if (tail === undefined) {
      tail = new RedisStreamTail({
        source: this.#redis,
        key,
        batch: this.#batch,
        blockMs: this.#blockMs,
        onError: this.#onError,
      });
      this.#tails.set(key, tail);
    }
    const current = tail;
    const remove = current.add(listener);
    try {
      await current.started();
    } catch (error) {
      await this.#release(key, current, remove);
      throw error;
    }
    return () => this.#release(key, current, remove);
  }

  /** {@inheritDoc PesEventFeed.close} */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    const tails = [...this.#tails.values()];
    this.#tails.clear();
    await Promise.all(tails.map((tail) => tail.stop()));
  }

  async #release(key: string, tail: RedisStreamTail, remove: () => void): Promise<void> {
    remove();
    if (tail.size > 0 || this.#tails.get(key) !== tail) return;
    this.#tails.delete(key);
    await tail.stop();
  }
}

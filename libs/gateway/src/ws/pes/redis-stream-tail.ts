import type { RedisClient } from '@pos-link/platform';
import { duplicateConnection, quitConnection } from '../redis-connection';
import type { PesFeedEntry } from './pes-event-feed';
import { toFeedEntry, type RawStreamEntry } from './stream-entry';
import { STREAM_START_ID } from './stream-id';

/** Retry delay after a failed `XREAD` (Redis restarting); the read resumes from the last id, so nothing is skipped. */
const TAIL_RETRY_MS = 250;

/** Options of {@link RedisStreamTail}. */
export interface RedisStreamTailOptions {
  /** Connection to duplicate for the blocking reads. */
  readonly source: RedisClient;
  /** The stream key. */
  readonly key: string;
  /** Entries per `XREAD`. */
  readonly batch: number;
  /** `BLOCK` milliseconds per `XREAD`. */
  readonly blockMs: number;
  /** Receives read errors and listener exceptions. */
  readonly onError: (error: unknown) => void;
}

/**
 * The live tail of one stream: a loop of `XREAD COUNT n BLOCK t STREAMS key <last id>` on a dedicated
 * connection (a blocking read would stall every command behind it). It starts from the stream's last id
 * read BEFORE the loop begins (never `$`, which would lose entries appended between two reads) and
 * always continues from the last id it delivered, so after a Redis hiccup it picks up exactly where it
 * stopped. Fan-out to the listeners is synchronous and in stream order.
 */
export class RedisStreamTail {
  readonly #options: RedisStreamTailOptions;
  readonly #listeners = new Set<(entry: PesFeedEntry) => void>();
  readonly #started: Promise<void>;
  #connection: RedisClient | undefined;
  #stopped = false;
  #loop: Promise<void> = Promise.resolve();

  /** Starts at once: reads the stream's last id, then loops. */
  constructor(options: RedisStreamTailOptions) {
    this.#options = options;
    this.#started = this.#start();
    this.#started.catch(() => undefined); // reported to the caller of started()
  }

  /** Listeners attached. */
  get size(): number {
    return this.#listeners.size;
  }

  /** Adds a listener; returns a function that removes it. */
  add(listener: (entry: PesFeedEntry) => void): () => void {
    const own = (entry: PesFeedEntry): void => listener(entry);
    this.#listeners.add(own);
    return () => this.#listeners.delete(own);
  }

  /** Resolves once the loop covers every entry appended from now on; rejects if the start read failed. */
  started(): Promise<void> {
    return this.#started;
  }

  /** Stops the loop and closes its connection (an `XREAD` in flight is cut off). Idempotent. */
  async stop(): Promise<void> {
    if (this.#stopped) return;
    this.#stopped = true;
    this.#listeners.clear();
    const connection = this.#connection;
    if (connection !== undefined) {
      connection.disconnect(); // a blocked XREAD would otherwise hold the stop for up to blockMs
      await this.#loop;
      await quitConnection(connection);
    }
  }

  async #start(): Promise<void> {
    const connection = duplicateConnection(this.#options.source);
    connection.on('error', this.#options.onError);
    this.#connection = connection;
    const last = (await connection.xrevrange(this.#options.key, '+', '-', 'COUNT', 1)) as RawStreamEntry[];
    if (this.#stopped) return;
    this.#loop = this.#run(last[0]?.[0] ?? STREAM_START_ID);
  }

  async #run(fromId: string): Promise<void> {
    let lastId = fromId;
    const connection = this.#connection as RedisClient;
    const { key, batch, blockMs, onError } = this.#options;
    while (!this.#stopped) {
      let reply: [string, RawStreamEntry[]][] | null;
      try {
        reply = (await connection.xread('COUNT', batch, 'BLOCK', blockMs, 'STREAMS', key, lastId)) as
          | [string, RawStreamEntry[]][]
          | null;
      } catch (error) {
        if (this.#stopped) return;
        onError(error);
        await new Promise((resolve) => setTimeout(resolve, TAIL_RETRY_MS).unref());
        continue;
      }
      for (const raw of reply?.[0]?.[1] ?? []) {
        lastId = raw[0];
        const entry = toFeedEntry(raw);
        for (const listener of this.#listeners) {
          try {
            listener(entry);
          } catch (error) {
            onError(error);
          }
        }
      }
    }
  }
}

import { deriveWrapKey } from '@pos-link/crypto';
import { MemoryKeyStore, RedisKeyStore, type KeyStore } from '@pos-link/keyring';
import { closeRedisClient, waitForRedisReady, type RedisClient } from '@pos-link/platform';

/** One wait for the Redis connections before a key cache start attempt; a failed wait is retried. */
const REDIS_READY_WAIT_MS = 2_000;

/** The key store the gateway reads and what it owns around it. */
export interface KeyBackend {
  readonly store: KeyStore;
  /** Resolves when the store's connections are usable; rejects after a bounded wait (retried by the caller). */
  readonly whenReady: (() => Promise<void>) | undefined;
  /** Closes what was opened here (a given store is left to its owner). */
  close(): Promise<void>;
}

/** Options of {@link createKeyBackend}. */
export interface KeyBackendOptions {
  /** A store shared with key-sync (the standalone process's memory store); not closed here. */
  readonly given?: KeyStore;
  /** The app's Redis command connection, or null in in-memory mode. */
  readonly redis: RedisClient | null;
  /** `REDIS_PREFIX`. */
  readonly prefix: string;
  /** `KEY_WRAP_SECRET`. */
  readonly keyWrapSecret: string;
  /** `KEY_GRACE_MS`. */
  readonly graceMs: number;
  /** Store errors (subscriber connection, callbacks). */
  readonly onError: (error: unknown) => void;
}

/**
 * The gateway's key store (DESIGN §1/§2): the given one; else the Redis store with a dedicated subscriber
 * connection (pub/sub needs its own, and the platform's connections queue nothing while disconnected, so
 * both are awaited before a start attempt); else — no Redis, nothing given — an empty memory store
 * (requests then find no keys: fail closed).
 */
export function createKeyBackend(options: KeyBackendOptions): KeyBackend {
  if (options.given !== undefined) return { store: options.given, whenReady: undefined, close: async () => undefined };
  const redis = options.redis;
  if (redis === null) {
    const store = new MemoryKeyStore({ graceMs: options.graceMs });
    return { store, whenReady: undefined, close: () => store.close() };
  }
  const subscriber = redis.duplicate();
  subscriber.on('error', options.onError);
  const store = new RedisKeyStore({
    redis,
    subscriber,
    prefix: options.prefix,
    wrapKey: deriveWrapKey(options.keyWrapSecret),
    graceMs: options.graceMs,
    onError: options.onError,
  });
  return {
    store,
    whenReady: async () => {
      await Promise.all([waitForRedisReady(redis, REDIS_READY_WAIT_MS), waitForRedisReady(subscriber, REDIS_READY_WAIT_MS)]);
    },
    close: async () => {
      await store.close();
      await closeRedisClient(subscriber);
    },
  };
}

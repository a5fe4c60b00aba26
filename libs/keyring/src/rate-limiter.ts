import type { RedisConnection } from './redis-channels';

/**
 * "At most one X per key per interval, whatever the request rate" — key-sync's Portal refresh rule
 * (DESIGN §2, `KEYSYNC_REFRESH_MIN_MS`) and the readers' own request throttle. `tryAcquire` answers true for
 * the first call of an interval (and starts it), false for the others.
 */
export interface PerKeyRateLimiter {
  /** True when the caller may act for `key` now; the interval starts with this call. */
  tryAcquire(key: string): Promise<boolean>;
}

/** Above this many remembered keys, expired ones are swept on the next acquire (bounded memory). */
const SWEEP_THRESHOLD = 1024;

/** In-process {@link PerKeyRateLimiter}: one replica, or standalone mode. */
export class MemoryPerKeyRateLimiter implements PerKeyRateLimiter {
  readonly #intervalMs: number;
  readonly #clock: () => number;
  readonly #until = new Map<string, number>();

  /**
   * @param intervalMs the minimum time between two acquisitions of one key (0: never limited)
   * @param clock time source; tests pass a fake
   */
  constructor(intervalMs: number, clock: () => number = Date.now) {
    if (!Number.isFinite(intervalMs) || intervalMs < 0) throw new TypeError('intervalMs must be >= 0');
    this.#intervalMs = intervalMs;
    this.#clock = clock;
  }

  /** {@inheritDoc PerKeyRateLimiter.tryAcquire} */
  async tryAcquire(key: string): Promise<boolean> {
    return this.tryAcquireNow(key);
  }

  /** Synchronous {@link tryAcquire}, for hot paths that cannot await. */
  tryAcquireNow(key: string): boolean {
    const now = this.#clock();
    const until = this.#until.get(key);
    if (until !== undefined && now < until) return false;
    if (this.#until.size >= SWEEP_THRESHOLD) this.#sweep(now);
    this.#until.set(key, now + this.#intervalMs);
    return true;
  }

  #sweep(now: number): void {
    for (const [key, until] of this.#until) if (until <= now) this.#until.delete(key);
  }
}

/**
 * Shared {@link PerKeyRateLimiter} across replicas: `SET <key> 1 NX PX <interval>` — the first caller of an
 * interval creates the key and wins; Redis expires it. (If Redis is unreachable the call rejects: the caller
 * decides, and key-sync's choice is to skip the refresh, never to hammer the Portal.)
 */
export class RedisPerKeyRateLimiter implements PerKeyRateLimiter {
  readonly #redis: RedisConnection;
  readonly #intervalMs: number;
  readonly #redisKey: (key: string) => string;

  /**
   * @param redis the command connection (the caller's)
   * @param intervalMs the minimum time between two acquisitions of one key (≥ 1 ms: PX needs a positive TTL)
   * @param redisKey maps a key to its Redis key, e.g. `(siteId) => layout.siteRateLimit(siteId, 'portal-fetch')`
   */
  constructor(redis: RedisConnection, intervalMs: number, redisKey: (key: string) => string) {
    if (!Number.isInteger(intervalMs) || intervalMs < 1) throw new TypeError('intervalMs must be an integer >= 1');
    this.#redis = redis;
    this.#intervalMs = intervalMs;
    this.#redisKey = redisKey;
  }

  /** {@inheritDoc PerKeyRateLimiter.tryAcquire} */
  async tryAcquire(key: string): Promise<boolean> {
    const reply = await this.#redis.set(this.#redisKey(key), '1', 'PX', this.#intervalMs, 'NX');
    return reply === 'OK';
  }
}

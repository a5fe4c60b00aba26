/**
 * Injection token of the app instance's Redis connection: a `RedisClient`, or `null` in the
 * standalone process's in-memory mode (no `REDIS_URL`), where providers pick their memory seam.
 */
export const REDIS_CLIENT = Symbol('pos-link:redis-client');

/** Injection token of the app instance's `RedisKeys` (built from `REDIS_PREFIX`; also used by memory seams). */
export const REDIS_KEYS = Symbol('pos-link:redis-keys');

import { randomBytes } from 'node:crypto';
import { Redis } from 'ioredis';

/** DESIGN §7: Redis tests use `REDIS_URL` (default `redis://127.0.0.1:6379`). */
export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** A fresh connection that fails fast instead of queueing commands forever when Redis is down. */
export function connectRedis(): Redis {
  return new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
}

/** A key prefix no other test run uses (DESIGN §7: "each test run on its own key prefix"). */
export function uniquePrefix(what: string): string {
  return `poslink-test-${what}-${process.pid}-${randomBytes(4).toString('hex')}`;
}

/** Deletes every key under `prefix` (SCAN, never KEYS). */
export async function deletePrefix(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    if (keys.length > 0) await redis.del(...keys);
    cursor = next;
  } while (cursor !== '0');
}

/** Every key under `prefix`, sorted. */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 500);
    found.push(...keys);
    cursor = next;
  } while (cursor !== '0');
  return found.sort();
}

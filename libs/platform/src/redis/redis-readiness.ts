import type { ReadinessCheck } from '../health/readiness-check';
import type { RedisClient } from './redis-client';

/**
 * Readiness of a Redis connection: `PING` answers `PONG`. With `enableOfflineQueue: false` a
 * disconnected client fails the ping at once, so `/health/ready` turns 503 without waiting.
 */
export function redisReadinessCheck(client: RedisClient, name = 'redis'): ReadinessCheck {
  return {
    name,
    async check(): Promise<void> {
      const answer = await client.ping();
      if (answer !== 'PONG') throw new Error(`unexpected PING answer`);
    },
  };
}

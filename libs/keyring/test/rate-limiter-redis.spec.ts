import type { Redis } from 'ioredis';
import { RedisPerKeyRateLimiter, keyringRedisLayout } from '../src/index';
import { connectRedis, deletePrefix, uniquePrefix } from './support/redis';

describe('RedisPerKeyRateLimiter', () => {
  let a: Redis;
  let b: Redis;
  let prefix: string;

  beforeEach(() => {
    a = connectRedis();
    b = connectRedis();
    prefix = uniquePrefix('ratelimit');
  });
  afterEach(async () => {
    await deletePrefix(a, prefix);
    await a.quit();
    await b.quit();
  });

  it('lets exactly one of many concurrent callers on two replicas through per interval, per key', async () => {
    const layout = keyringRedisLayout(prefix);
    const key = (siteId: string): string => layout.siteRateLimit(siteId, 'portal-fetch');
    const replicas = [new RedisPerKeyRateLimiter(a, 60_000, key), new RedisPerKeyRateLimiter(b, 60_000, key)];
    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => replicas[i % 2]!.tryAcquire('s1')));
    expect(answers.filter(Boolean)).toHaveLength(1);
    expect(await replicas[1]!.tryAcquire('s2')).toBe(true);
    const ttl = await a.pttl(key('s1'));
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(60_000);
    expect(await a.exists(`${prefix}:{site:s1}:ratelimit:portal-fetch`)).toBe(1);
  });

  it('lets the next caller through once the interval has passed (Redis expires the key)', async () => {
    const limiter = new RedisPerKeyRateLimiter(a, 30, (k) => `${prefix}:rl:${k}`);
    const started = Date.now();
    expect(await limiter.tryAcquire('s1')).toBe(true);
    expect(await limiter.tryAcquire('s1')).toBe(false);
    while (!(await limiter.tryAcquire('s1'))) {
      if (Date.now() - started > 2000) throw new Error('never released');
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
    expect(Date.now() - started).toBeGreaterThanOrEqual(29);
  });

  it('throws TypeError for an interval under 1 ms', () => {
    expect(() => new RedisPerKeyRateLimiter(a, 0, (k) => k)).toThrow(TypeError);
  });
});

import { Redis } from 'ioredis';
import { uniqueRedisPrefix, waitFor } from '@pos-link/platform/testing';
import { RedisLeaderLock } from '../src/leader/redis-leader-lock';

// Integration: RedisLeaderLock against the real Redis (REDIS_URL, default redis://127.0.0.1:6379).
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const TTL_MS = 600;
let redis: Redis;
let key: string;
const locks: RedisLeaderLock[] = [];

beforeEach(() => {
  redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  key = `${uniqueRedisPrefix('ks-lock')}:keysync:leader`;
});

afterEach(async () => {
  for (const lock of locks.splice(0)) await lock.close();
  await redis.del(key);
  await redis.quit();
});

function lock(options: Partial<ConstructorParameters<typeof RedisLeaderLock>[0]> = {}): RedisLeaderLock {
  const created = new RedisLeaderLock({ redis, key, ttlMs: TTL_MS, ...options });
  locks.push(created);
  return created;
}

describe('RedisLeaderLock', () => {
  it('start() acquires a free lock with SET NX PX: the key holds the token and expires', async () => {
    const a = lock({ token: 'replica-a' });
    const changes: boolean[] = [];
    a.onChange((leader) => changes.push(leader));
    await a.start();
    expect(a.isLeader()).toBe(true);
    expect(changes).toEqual([true]);
    expect(await redis.get(key)).toBe('replica-a');
    const pttl = await redis.pttl(key);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(TTL_MS);
  });

  it('only one of two replicas leads; the holder keeps renewing past the TTL', async () => {
    const a = lock({ token: 'replica-a' });
    const b = lock({ token: 'replica-b' });
    await a.start();
    await b.start();
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    // Observing the ABSENCE of a leadership change needs a time window, not a readiness signal.
    await new Promise((resolve) => setTimeout(resolve, 3 * TTL_MS));
    expect([a.isLeader(), b.isLeader()]).toEqual([true, false]);
    expect(await redis.get(key)).toBe('replica-a');
  });

  it('confirm() checks ownership in Redis and extends it; false (and a step-down) once another holds it', async () => {
    const a = lock({ token: 'replica-a' });
    await a.start();
    await redis.pexpire(key, 50);
    expect(await a.confirm()).toBe(true);
    expect(await redis.pttl(key)).toBeGreaterThan(TTL_MS - 100);
    const changes: boolean[] = [];
    a.onChange((leader) => changes.push(leader));
    await redis.set(key, 'someone-else', 'PX', 10_000);
    expect(await a.confirm()).toBe(false);
    expect(a.isLeader()).toBe(false);
    expect(changes).toEqual([false]);
    expect(await redis.get(key)).toBe('someone-else'); // never touched another's lock
  });

  it('close() releases its own lock so a standby takes over at its next attempt', async () => {
    const a = lock({ token: 'replica-a' });
    const b = lock({ token: 'replica-b' });
    await a.start();
    await b.start();
    await a.close();
    expect(await redis.get(key)).toBeNull();
    const releasedAt = Date.now();
    await waitFor('b to lead', () => b.isLeader(), { timeoutMs: 3_000, intervalMs: 5 });
    expect(Date.now() - releasedAt).toBeLessThan(TTL_MS); // its next attempt (every TTL/3), not an expiry
  });

  it('close() does not delete a successor\'s lock', async () => {
    const a = lock({ token: 'replica-a' });
    await a.start();
    await redis.set(key, 'successor', 'PX', 10_000);
    await a.close();
    expect(await redis.get(key)).toBe('successor');
  });

  it('a standby takes over within TTL + TTL/3 when the holder vanishes, and the old holder stepped down first', async () => {
    const holderConnection = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    const errors: unknown[] = [];
    const a = lock({ token: 'replica-a', redis: holderConnection, onError: (error) => errors.push(error) });
    await a.start();
    const b = lock({ token: 'replica-b' });
    await b.start();
    expect(a.isLeader()).toBe(true);
    let aLeadWhenBTookOver: boolean | undefined;
    b.onChange((leader) => {
      if (leader) aLeadWhenBTookOver = a.isLeader();
    });
    holderConnection.disconnect(); // the holder "dies": it can no longer renew, and never releases
    const diedAt = Date.now();
    await waitFor('b to take over', () => b.isLeader(), { timeoutMs: 3 * TTL_MS, intervalMs: 5 });
    expect(Date.now() - diedAt).toBeLessThan(TTL_MS + TTL_MS / 3 + TTL_MS * 0.1 + 100);
    expect(aLeadWhenBTookOver).toBe(false); // its lease ended before Redis' expiry: never two leaders
    expect(errors.length).toBeGreaterThan(0);
  });

  it('steps down locally when its lease runs out without an answer from Redis', async () => {
    let now = 1_000;
    const errors: unknown[] = [];
    const a = lock({ token: 'replica-a', now: () => now, onError: (error) => errors.push(error) });
    await a.start();
    expect(a.isLeader()).toBe(true);
    now += TTL_MS - TTL_MS * 0.01 - 2; // exactly the lease: drift allowance included
    expect(a.isLeader()).toBe(false);
    expect(await a.confirm()).toBe(false);
  });

  it('throws TypeError for bad options', () => {
    expect(() => new RedisLeaderLock({ redis, key: '', ttlMs: 1_000 })).toThrow(TypeError);
    expect(() => new RedisLeaderLock({ redis, key, ttlMs: 10 })).toThrow(TypeError);
  });
});

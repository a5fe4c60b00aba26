import { MemoryPerKeyRateLimiter } from './rate-limiter';

describe('MemoryPerKeyRateLimiter', () => {
  let now: number;
  const clock = (): number => now;
  beforeEach(() => {
    now = 1_000_000;
  });

  it('allows one acquisition per key per interval, whatever the request rate', async () => {
    const limiter = new MemoryPerKeyRateLimiter(5000, clock);
    const answers = await Promise.all(Array.from({ length: 100 }, () => limiter.tryAcquire('s1')));
    expect(answers.filter(Boolean)).toHaveLength(1);
    now += 4999;
    expect(await limiter.tryAcquire('s1')).toBe(false);
    now += 1;
    expect(await limiter.tryAcquire('s1')).toBe(true);
    expect(await limiter.tryAcquire('s1')).toBe(false);
  });

  it('limits each key on its own', () => {
    const limiter = new MemoryPerKeyRateLimiter(5000, clock);
    expect(limiter.tryAcquireNow('a')).toBe(true);
    expect(limiter.tryAcquireNow('b')).toBe(true);
    expect(limiter.tryAcquireNow('a')).toBe(false);
  });

  it('never limits with interval 0', () => {
    const limiter = new MemoryPerKeyRateLimiter(0, clock);
    expect([limiter.tryAcquireNow('a'), limiter.tryAcquireNow('a')]).toEqual([true, true]);
  });

  it('keeps limiting correctly across a sweep of expired keys', () => {
    const limiter = new MemoryPerKeyRateLimiter(10, clock);
    for (let i = 0; i < 2000; i += 1) limiter.tryAcquireNow(`old-${i}`);
    expect(limiter.tryAcquireNow('fresh')).toBe(true);
    now += 10; // every old key expired; the next acquisitions sweep them
    for (let i = 0; i < 2000; i += 1) expect(limiter.tryAcquireNow(`old-${i}`)).toBe(true);
    expect(limiter.tryAcquireNow('old-0')).toBe(false);
  });

  it('throws TypeError for a negative interval', () => {
    expect(() => new MemoryPerKeyRateLimiter(-1)).toThrow(TypeError);
  });
});

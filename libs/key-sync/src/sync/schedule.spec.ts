import { MIN_BACKOFF_MS, POLL_JITTER_FRACTION, backoffDelay, nextPollDelay } from './schedule';

const NOW = Date.UTC(2024, 6, 4);
const TIMING = { pollMs: 60_000, refreshMinMs: 5_000 };

describe('nextPollDelay', () => {
  it('is KEYSYNC_POLL_MS when no key nears its end, and jitter only ever makes it earlier', () => {
    const keys = [{ validAfter: NOW - 1_000, validUntil: NOW + 86_400_000 }];
    expect(nextPollDelay(keys, NOW, TIMING, 0)).toBe(60_000);
    expect(nextPollDelay(keys, NOW, TIMING, 0.5)).toBe(60_000 * (1 - POLL_JITTER_FRACTION / 2));
    expect(nextPollDelay(keys, NOW, TIMING, 0.999999)).toBeGreaterThanOrEqual(60_000 * (1 - POLL_JITTER_FRACTION));
    expect(nextPollDelay([], NOW, TIMING, 0)).toBe(60_000);
  });

  it('shrinks to half the time left as the last key nears valid_until, never below KEYSYNC_REFRESH_MIN_MS', () => {
    const endingIn = (ms: number) => [{ validAfter: NOW - 1_000, validUntil: NOW + ms }];
    expect(nextPollDelay(endingIn(100_000), NOW, TIMING, 0)).toBe(50_000);
    expect(nextPollDelay(endingIn(20_000), NOW, TIMING, 0)).toBe(10_000);
    expect(nextPollDelay(endingIn(4_000), NOW, TIMING, 0)).toBe(5_000);
  });

  it('follows the key that expires LAST: a previous key ending soon does not speed polls up', () => {
    const keys = [
      { validAfter: NOW - 86_400_000, validUntil: NOW + 10_000 },
      { validAfter: NOW - 1_000, validUntil: NOW + 86_400_000 },
    ];
    expect(nextPollDelay(keys, NOW, TIMING, 0)).toBe(60_000);
  });

  it('ignores keys that already expired (nothing to wait for)', () => {
    expect(nextPollDelay([{ validAfter: NOW - 10_000, validUntil: NOW - 1 }], NOW, TIMING, 0)).toBe(60_000);
  });
});

describe('backoffDelay', () => {
  const timing = { refreshMinMs: 5_000, backoffMaxMs: 300_000 };

  it('doubles from max(KEYSYNC_REFRESH_MIN_MS, 1 s) per failure up to the cap', () => {
    // random = 1: the top of the jitter range, i.e. the ceiling itself
    expect([1, 2, 3, 4, 7, 8, 20].map((n) => backoffDelay(n, timing, 1))).toEqual([
      5_000, 10_000, 20_000, 40_000, 300_000, 300_000, 300_000,
    ]);
    expect(backoffDelay(1, { refreshMinMs: 0, backoffMaxMs: 300_000 }, 1)).toBe(MIN_BACKOFF_MS);
  });

  it('is jittered between half the ceiling and the ceiling ("equal jitter")', () => {
    expect(backoffDelay(3, timing, 0)).toBe(10_000);
    expect(backoffDelay(3, timing, 0.5)).toBe(15_000);
    expect(backoffDelay(30, timing, 0)).toBe(150_000);
  });

  it('never exceeds the cap, even below the base', () => {
    expect(backoffDelay(1, { refreshMinMs: 5_000, backoffMaxMs: 300 }, 1)).toBe(300);
    expect(backoffDelay(1, { refreshMinMs: 5_000, backoffMaxMs: 300 }, 0)).toBe(150);
  });

  it('throws TypeError for a failure count below 1', () => {
    expect(() => backoffDelay(0, timing, 0)).toThrow(TypeError);
    expect(() => backoffDelay(1.5, timing, 0)).toThrow(TypeError);
  });
});

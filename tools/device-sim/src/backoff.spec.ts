import { backoffDelay, DEFAULT_BACKOFF, resolveBackoff } from './backoff';

describe('backoffDelay', () => {
  const b = resolveBackoff({ initialMs: 100, maxMs: 1000, factor: 2, jitter: 0.5 });

  it('doubles per failure up to the cap (no jitter drawn: random 0)', () => {
    expect([1, 2, 3, 4, 5, 6].map((n) => backoffDelay(n, b, () => 0))).toEqual([100, 200, 400, 800, 1000, 1000]);
  });

  it('removes up to `jitter` of the delay at random', () => {
    expect(backoffDelay(3, b, () => 0.999999)).toBe(200);
    expect(backoffDelay(3, b, () => 0.5)).toBe(300);
    expect(backoffDelay(10, b, () => 0.5)).toBe(750);
  });

  it('treats 0 failures like 1', () => {
    expect(backoffDelay(0, b, () => 0)).toBe(100);
  });
});

describe('resolveBackoff', () => {
  it('applies the defaults', () => {
    expect(resolveBackoff()).toEqual(DEFAULT_BACKOFF);
    expect(resolveBackoff({ initialMs: 5 })).toEqual({ ...DEFAULT_BACKOFF, initialMs: 5 });
  });

  it.each([[{ initialMs: -1 }], [{ factor: 0.5 }], [{ jitter: 2 }], [{ maxMs: 1, initialMs: 2 }], [{ maxMs: Number.NaN }]])(
    'refuses %j with TypeError',
    (options) => {
      expect(() => resolveBackoff(options)).toThrow(TypeError);
    },
  );
});

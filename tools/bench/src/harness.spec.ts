import { absoluteLine, measureSync, quantile, ratioLine } from './harness';

describe('bench harness', () => {
  it('quantile uses nearest rank on a sorted copy', () => {
    const sample = [5, 1, 4, 2, 3, 6, 7, 8, 9, 10];
    expect(quantile(sample, 0.5)).toBe(5);
    expect(quantile(sample, 0.99)).toBe(10);
    expect(quantile(sample, 0)).toBe(1);
    expect(sample[0]).toBe(5);
  });

  it('quantile refuses misuse with TypeError', () => {
    expect(() => quantile([], 0.5)).toThrow(TypeError);
    expect(() => quantile([1], 1.5)).toThrow(TypeError);
  });

  it('ratioLine states both figures, the ratio and the verdict', () => {
    const line = ratioLine('x', { label: 'a', value: 90 }, { label: 'b', value: 100 }, 'op/s', { op: '>=', value: 0.9 });
    expect(line).toContain('= 0.90 (goal >= 0.90) PASS');
    expect(ratioLine('x', { label: 'a', value: 80 }, { label: 'b', value: 100 }, 'op/s', { op: '>=', value: 0.9 })).toContain('MISS');
    expect(absoluteLine('p99', 42, 'µs', { op: '<=', value: 50 })).toContain('PASS');
  });

  it('measureSync counts batches over the measured window', () => {
    let calls = 0;
    const m = measureSync(() => calls++, { durationMs: 20, warmupMs: 5, batch: 10 });
    expect(m.iterations % 10).toBe(0);
    expect(m.iterations).toBeGreaterThan(0);
    expect(m.opsPerSec).toBeGreaterThan(0);
  });
});

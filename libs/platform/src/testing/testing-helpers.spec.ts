import { readPrometheusMetric } from './prometheus-text';
import { waitFor } from './wait-for';

describe('readPrometheusMetric', () => {
  const text = [
    '# HELP x_total a counter',
    'x_total{app="gw",outcome="ok"} 3',
    'x_total{app="gw",outcome="error_code_2"} 1',
    'x_total_other 9',
    'y 7',
  ].join('\n');

  it('matches by name and a subset of labels', () => {
    expect(readPrometheusMetric(text, 'x_total', { outcome: 'error_code_2' })).toBe(1);
    expect(readPrometheusMetric(text, 'x_total')).toBe(3);
    expect(readPrometheusMetric(text, 'y')).toBe(7);
  });

  it('returns undefined when no series matches (a name prefix is not a match)', () => {
    expect(readPrometheusMetric(text, 'x_total', { outcome: 'nope' })).toBeUndefined();
    expect(readPrometheusMetric(text, 'x')).toBeUndefined();
  });
});

describe('waitFor', () => {
  it('resolves with the first truthy probe value', async () => {
    let n = 0;
    await expect(waitFor('n to reach 3', () => (++n >= 3 ? n : false), { intervalMs: 1 })).resolves.toBe(3);
  });

  it('rejects naming what it waited for, with the last error', async () => {
    await expect(
      waitFor('never', () => {
        throw new Error('boom');
      }, { timeoutMs: 20, intervalMs: 5 }),
    ).rejects.toThrow('timed out after 20 ms waiting for never (last error: boom)');
  });
});

import { Counter, register as globalRegistry } from 'prom-client';
import { createMetricsRegistry } from './metrics-registry';

describe('createMetricsRegistry', () => {
  it('gives each app instance its own registry with process metrics labelled by app', async () => {
    const a = createMetricsRegistry({ app: 'secure-gateway' });
    const b = createMetricsRegistry({ app: 'key-sync' });
    const textA = await a.metrics();
    const textB = await b.metrics();
    expect(textA).toMatch(/^process_cpu_user_seconds_total\{app="secure-gateway"\} /m);
    expect(textB).toMatch(/^process_cpu_user_seconds_total\{app="key-sync"\} /m);
    expect(textA).not.toContain('app="key-sync"');
  });

  it('keeps metrics of one registry out of the others and out of the global default', async () => {
    const a = createMetricsRegistry({ app: 'a', processMetrics: false });
    const b = createMetricsRegistry({ app: 'b', processMetrics: false });
    // the same metric name in two registries must not collide (standalone builds three apps)
    for (const registry of [a, b]) {
      new Counter({ name: 'poslink_test_events_total', help: 'test', registers: [registry] }).inc();
    }
    expect(await a.metrics()).toContain('poslink_test_events_total{app="a"} 1');
    expect(await b.metrics()).toContain('poslink_test_events_total{app="b"} 1');
    expect(await globalRegistry.metrics()).not.toContain('poslink_test_events_total');
    expect(await globalRegistry.metrics()).not.toContain('process_cpu_user_seconds_total');
  });
});

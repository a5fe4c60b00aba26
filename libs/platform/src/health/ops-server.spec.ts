import { Module, type DynamicModule } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { createLogger } from '../logging/create-logger';
import { PinoNestLogger } from '../logging/nest-logger';
import { ServiceHost } from '../lifecycle/service-host';
import { createMetricsRegistry } from '../metrics/metrics-registry';
import { LineCapture, isPortFree } from '../testing';
import { HealthRegistry } from './health-registry';
import { OpsModule } from './ops.module';
import type { ReadinessCheck } from './readiness-check';

@Module({})
class RootModule {
  static with(ops: DynamicModule): DynamicModule {
    return { module: RootModule, imports: [ops] };
  }
}

async function build(readiness: ReadinessCheck[], resources: { close(): Promise<void> }[] = []) {
  const out = new LineCapture();
  const logger = createLogger({ app: 'ops-test', level: 'info', destination: out });
  const registry = createMetricsRegistry({ app: 'ops-test' });
  const app = await NestFactory.createApplicationContext(
    RootModule.with(OpsModule.forRoot({ host: '127.0.0.1', port: 0, registry, logger, readiness })),
    { logger: new PinoNestLogger(logger), abortOnError: false },
  );
  return { host: new ServiceHost({ name: 'ops-test', app, logger, resources }), out };
}

describe('OpsServer (via ServiceHost)', () => {
  let healthy = true;
  const flaky: ReadinessCheck = {
    name: 'store',
    check: async () => {
      if (!healthy) throw Object.assign(new Error('connection refused'), { code: 'ECONNREFUSED' });
    },
  };

  it('serves /health/live, /health/ready and /metrics on the ops port, and close() frees it', async () => {
    healthy = true;
    const { host, out } = await build([flaky]);
    const [ops] = await host.listen();
    expect(ops).toMatchObject({ name: 'ops', url: `http://127.0.0.1:${ops.port}` });

    const live = await fetch(`${ops.url}/health/live`);
    expect(live.status).toBe(200);
    expect(live.headers.get('content-type')).toBe('application/json; charset=utf-8');
    expect(await live.json()).toEqual({ status: 'ok' });

    const ready = await fetch(`${ops.url}/health/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ok', info: { store: { status: 'up' } } });

    const metrics = await fetch(`${ops.url}/metrics`);
    expect(metrics.status).toBe(200);
    expect(metrics.headers.get('content-type')).toContain('text/plain');
    expect(await metrics.text()).toMatch(/^process_resident_memory_bytes\{app="ops-test"\} \d+/m);

    await host.close();
    await host.close(); // idempotent
    expect(await isPortFree(ops.port)).toBe(true);
    const events = out.records().map((r) => r['event']);
    expect(events).toEqual(expect.arrayContaining(['ServiceStarted', 'ServiceStopped']));
  });

  it('/health/ready answers 503 with the failing check and its reason, and logs the change once', async () => {
    healthy = false;
    const { host, out } = await build([flaky]);
    const [ops] = await host.listen();
    try {
      for (let i = 0; i < 2; i++) {
        const ready = await fetch(`${ops.url}/health/ready`);
        expect(ready.status).toBe(503);
        expect(await ready.json()).toMatchObject({
          status: 'error',
          error: { store: { status: 'down', reason: 'ECONNREFUSED: connection refused' } },
        });
      }
      healthy = true;
      expect((await fetch(`${ops.url}/health/ready`)).status).toBe(200);
      const changes = out.records().filter((r) => r['event'] === 'HealthReadinessChanged');
      expect(changes.map((r) => r['ready'])).toEqual([false, true]);
    } finally {
      await host.close();
    }
  });

  it('a check that hangs is reported down after the readiness deadline', async () => {
    const hang: ReadinessCheck = { name: 'hang', check: () => new Promise(() => undefined) };
    const { host } = await build([hang]);
    const [ops] = await host.listen();
    try {
      const ready = await fetch(`${ops.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({
        error: { hang: { status: 'down', reason: 'ERR_PLATFORM_HEALTH_CHECK_TIMEOUT: no answer within 800 ms' } },
      });
    } finally {
      await host.close();
    }
  });

  it('checks added through HealthRegistry count too; names are unique', async () => {
    const { host } = await build([]);
    const registry = host.nest.get(HealthRegistry, { strict: false });
    registry.addReadinessCheck({ name: 'late', check: async () => Promise.reject(new Error('not yet')) });
    expect(() => registry.addReadinessCheck({ name: 'late', check: async () => undefined })).toThrow(TypeError);
    const [ops] = await host.listen();
    try {
      expect((await fetch(`${ops.url}/health/ready`)).status).toBe(503);
    } finally {
      await host.close();
    }
  });

  it('answers 404 JSON for other paths, 405 for other methods, and HEAD without a body', async () => {
    const { host } = await build([]);
    const [ops] = await host.listen();
    try {
      const missing = await fetch(`${ops.url}/health`);
      expect(missing.status).toBe(404);
      expect(await missing.json()).toEqual({ error: 'not_found' });
      const post = await fetch(`${ops.url}/health/live`, { method: 'POST' });
      expect(post.status).toBe(405);
      expect(post.headers.get('allow')).toBe('GET, HEAD');
      const head = await fetch(`${ops.url}/health/live?probe=1`, { method: 'HEAD' });
      expect(head.status).toBe(200);
      expect(await head.text()).toBe('');
    } finally {
      await host.close();
    }
  });

  it('closes its resources after the Nest app, even before listen()', async () => {
    const closed: string[] = [];
    const { host } = await build([], [{ close: async () => void closed.push('redis') }]);
    await host.close();
    expect(closed).toEqual(['redis']);
    await expect(host.listen()).rejects.toThrow(TypeError);
  });
});

import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { createLogger, loadConfig } from '@pos-link/platform';
import { LineCapture, isPortFree, uniqueRedisPrefix, waitForReady } from '@pos-link/platform/testing';
import { GatewayConfig, createGatewayApp } from '@pos-link/gateway';

// Integration: the gateway factory in-process, real sockets on ephemeral ports, the real Redis.
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

function gatewayConfig(): GatewayConfig {
  return loadConfig(GatewayConfig, {
    REDIS_URL,
    REDIS_PREFIX: uniqueRedisPrefix('gateway-boot'),
    KEY_WRAP_SECRET: 'test-wrap-secret-0123456789abcdef0123',
    UPSTREAM_URL: 'http://127.0.0.1:9/{site}',
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    OPS_HOST: '127.0.0.1',
    OPS_PORT: '0',
  });
}

describe('createGatewayApp', () => {
  it('serves health and metrics on the ops port only, and close() frees both ports', async () => {
    const logs = new LineCapture();
    const app = await createGatewayApp(gatewayConfig(), {
      logger: createLogger({ app: 'secure-gateway', level: 'info', destination: logs }),
    });
    let closed = false;
    try {
      const endpoints = await app.listen();
      const http = endpoints.find((e) => e.name === 'http')!;
      const ops = endpoints.find((e) => e.name === 'ops')!;
      expect(http.port).not.toBe(ops.port);

      expect((await fetch(`${ops.url}/health/live`)).status).toBe(200);
      await waitForReady(ops.url); // the Redis connection completes after listen()
      const ready = await fetch(`${ops.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ok', info: { redis: { status: 'up' } } });
      const metrics = await (await fetch(`${ops.url}/metrics`)).text();
      expect(metrics).toMatch(/^process_cpu_user_seconds_total\{app="secure-gateway"\} /m);
      expect(metrics).toMatch(/^nodejs_eventloop_lag_seconds\{app="secure-gateway"\} /m);

      // health and metrics are never on the public port (DESIGN §3): a JSON refusal, not the ops answer
      const publicHealth = await fetch(`${http.url}/health/live`);
      expect(publicHealth.status).toBeGreaterThanOrEqual(400);
      expect(publicHealth.headers.get('content-type')).toMatch(/^application\/json/);
      expect(await publicHealth.json()).not.toEqual({ status: 'ok' });
      const publicMetrics = await fetch(`${http.url}/metrics`);
      expect(publicMetrics.status).toBeGreaterThanOrEqual(400);
      expect(await publicMetrics.text()).not.toContain('process_cpu_user_seconds_total');

      await app.close();
      closed = true;
      expect(await isPortFree(http.port)).toBe(true);
      expect(await isPortFree(ops.port)).toBe(true);
    } finally {
      if (!closed) await app.close();
    }
    expect(logs.records().map((r) => r['event'])).toEqual(
      expect.arrayContaining(['ServiceStarted', 'HealthReadinessChanged', 'ServiceStopped']),
    );
    expect(logs.records().every((r) => r['app'] === 'secure-gateway')).toBe(true);
  });

  it('builds twice in one process without sharing a metrics registry', async () => {
    const a = await createGatewayApp(gatewayConfig(), { logger: createLogger({ app: 'a', level: 'silent' }) });
    const b = await createGatewayApp(gatewayConfig(), { logger: createLogger({ app: 'b', level: 'silent' }) });
    try {
      const [opsA, opsB] = [(await a.listen()).at(-1)!, (await b.listen()).at(-1)!];
      expect((await fetch(`${opsA.url}/metrics`)).status).toBe(200);
      expect((await fetch(`${opsB.url}/metrics`)).status).toBe(200);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('on close() reports not ready (shutting_down) while it drains an in-flight request, then finishes it', async () => {
    const app = await createGatewayApp(gatewayConfig(), { logger: createLogger({ app: 'secure-gateway', level: 'silent' }) });
    let release: () => void = () => undefined;
    const held = new Promise<void>((resolve) => (release = resolve));
    let entered: () => void = () => undefined;
    const inHandler = new Promise<void>((resolve) => (entered = resolve));
    // a slow request standing for in-flight work (the real routes come with the ALE issue)
    (app.nest as NestFastifyApplication).getHttpAdapter().getInstance().get('/test-slow', async () => {
      entered();
      await held;
      return { done: true };
    });
    const endpoints = await app.listen();
    const http = endpoints.find((e) => e.name === 'http')!;
    const ops = endpoints.find((e) => e.name === 'ops')!;
    await waitForReady(ops.url);

    const slow = fetch(`${http.url}/test-slow`);
    await inHandler;
    const closing = app.close();
    let answer: Response;
    do {
      answer = await fetch(`${ops.url}/health/ready`);
    } while (answer.status === 200);
    expect(answer.status).toBe(503);
    expect(await answer.json()).toMatchObject({ status: 'shutting_down' });

    release();
    const response = await slow;
    expect(response.status).toBe(200);
    expect(await response.json()).toEqual({ done: true });
    await closing;
    expect(await isPortFree(http.port)).toBe(true);
    expect(await isPortFree(ops.port)).toBe(true);
  });

  it('reports not ready while Redis is unreachable', async () => {
    const config = loadConfig(GatewayConfig, {
      REDIS_URL: 'redis://127.0.0.1:1',
      KEY_WRAP_SECRET: 'test-wrap-secret-0123456789abcdef0123',
      UPSTREAM_URL: 'http://127.0.0.1:9/',
      HTTP_HOST: '127.0.0.1',
      HTTP_PORT: '0',
      OPS_HOST: '127.0.0.1',
      OPS_PORT: '0',
    });
    const app = await createGatewayApp(config, { logger: createLogger({ app: 'secure-gateway', level: 'silent' }) });
    try {
      const ops = (await app.listen()).at(-1)!;
      expect((await fetch(`${ops.url}/health/live`)).status).toBe(200);
      const ready = await fetch(`${ops.url}/health/ready`);
      expect(ready.status).toBe(503);
      expect(await ready.json()).toMatchObject({ status: 'error', error: { redis: { status: 'down' } } });
    } finally {
      await app.close();
    }
  });
});

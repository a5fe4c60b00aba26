import { createLogger, loadConfig } from '@pos-link/platform';
import { isPortFree, uniqueRedisPrefix, waitForReady } from '@pos-link/platform/testing';
import { IngressConfig, createIngressApp } from '@pos-link/ingress';

// Integration: the ingress factory in-process, the ops server on an ephemeral port, the real Redis.
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('createIngressApp', () => {
  it('serves health and metrics on the ops port, and close() frees it', async () => {
    const config = loadConfig(IngressConfig, {
      REDIS_URL,
      REDIS_PREFIX: uniqueRedisPrefix('ingress-boot'),
      KEY_WRAP_SECRET: 'test-wrap-secret-0123456789abcdef0123',
      SITE_ID: 's1',
      INTEGRATOR_KEY_ID: 'k1',
      INTEGRATOR_SECRET_KEY: 'integrator-secret',
      OPS_HOST: '127.0.0.1',
      OPS_PORT: '0',
      PES_HOST: '127.0.0.1',
      PES_PORT: '0',
    });
    const app = await createIngressApp(config, { logger: createLogger({ app: 'event-stream-ingress', level: 'silent' }) });
    let closed = false;
    let pesPort = 0;
    try {
      const endpoints = await app.listen();
      expect(endpoints.map((e) => e.name)).toEqual(['pes', 'ops']);
      const [pes, ops] = endpoints;
      pesPort = pes.port;
      expect((await fetch(`${ops.url}/health/live`)).status).toBe(200);
      await waitForReady(ops.url); // the Redis connection completes after listen()
      const ready = await fetch(`${ops.url}/health/ready`);
      expect(ready.status).toBe(200);
      expect(await ready.json()).toMatchObject({ status: 'ok', info: { redis: { status: 'up' } } });
      expect(await (await fetch(`${ops.url}/metrics`)).text()).toMatch(
        /^process_cpu_user_seconds_total\{app="event-stream-ingress"\} /m,
      );
      await app.close();
      closed = true;
      expect(await isPortFree(ops.port)).toBe(true);
    } finally {
      if (!closed) await app.close();
    }
    expect(await isPortFree(pesPort)).toBe(true);
  });
});

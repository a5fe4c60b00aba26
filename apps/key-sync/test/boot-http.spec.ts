import { createLogger, loadConfig } from '@pos-link/platform';
import { isPortFree, LineCapture, uniqueRedisPrefix, waitFor } from '@pos-link/platform/testing';
import { KeySyncConfig, createKeySyncApp } from '@pos-link/key-sync';

// Integration: the key-sync factory in-process, the ops server on an ephemeral port, the real Redis.
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

describe('createKeySyncApp', () => {
  it('serves health and metrics on the ops port, and close() frees it', async () => {
    const config = loadConfig(KeySyncConfig, {
      REDIS_URL,
      REDIS_PREFIX: uniqueRedisPrefix('key-sync-boot'),
      KEY_WRAP_SECRET: 'test-wrap-secret-0123456789abcdef0123',
      PORTAL_URL: 'http://127.0.0.1:9',
      PORTAL_AUTH: 'Bearer test',
      SITE_IDS: 's1,s2',
      OPS_HOST: '127.0.0.1',
      OPS_PORT: '0',
    });
    const logs = new LineCapture();
    const app = await createKeySyncApp(config, { logger: createLogger({ app: 'key-sync', level: 'info', destination: logs }) });
    let closed = false;
    try {
      const endpoints = await app.listen();
      expect(endpoints.map((e) => e.name)).toEqual(['ops']);
      const [ops] = endpoints;
      expect((await fetch(`${ops.url}/health/live`)).status).toBe(200);
      // Ready means Redis up AND valid keys for every site (DESIGN §2/§7). This Portal (port 9) never answers,
      // so once Redis is connected the replica is still not ready, and says why.
      const body = await waitFor('Redis to be up', async () => {
        const answer = (await (await fetch(`${ops.url}/health/ready`)).json()) as Record<string, { redis?: unknown; keys?: { reason: string } }>;
        return answer['info']?.redis !== undefined ? answer : undefined;
      });
      expect(body).toMatchObject({ status: 'error', info: { redis: { status: 'up' } }, error: { keys: { status: 'down' } } });
      expect(body['error']!.keys!.reason).toMatch(/^ERR_KEYSYNC_(NOT_STARTED|SITE_KEYS_MISSING): /);
      expect((await fetch(`${ops.url}/health/ready`)).status).toBe(503);
      expect(await (await fetch(`${ops.url}/metrics`)).text()).toMatch(/^process_cpu_user_seconds_total\{app="key-sync"\} /m);
      await app.close();
      closed = true;
      expect(await isPortFree(ops.port)).toBe(true);
    } finally {
      if (!closed) await app.close();
    }
    // PORTAL_AUTH never reaches a log line
    expect(logs.lines.join('\n')).not.toContain('Bearer test');
  });
});

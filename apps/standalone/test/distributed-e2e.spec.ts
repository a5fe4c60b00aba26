import { Redis } from 'ioredis';
import { deleteKeysWithPrefix, getFreePort, uniqueRedisPrefix, waitForReady } from '@pos-link/platform/testing';
import { startKitchenSim, type KitchenSim } from '@pos-link/kitchen-sim';
import { startPortalSim, type PortalSim } from '@pos-link/portal-sim';
import type { DemoManifest } from '../src/demo/demo-manifest';
import { runDemo } from '../src/demo/run-demo';
import { NodeProcess, bundleApps } from './support/node-process';

// The distributed deployment end to end (DESIGN §1 "Distributed", issue 8): the three services as
// SEPARATE processes (`node dist/apps/<app>/main.js`) that share nothing but Redis, with portal-sim and
// kitchen-sim as real network peers in this test process, driven by the demo's code.
const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';
const SITE_ID = 'dist-e2e-site';
const PINPAD_ID = 'dist-e2e-pinpad';
const PORTAL_AUTH = 'Bearer distributed-e2e';
const INTEGRATOR = { keyId: 'dist-e2e-integrator', secretKey: 'distributed-e2e-integrator-secret' };
const WRAP_SECRET = 'distributed-e2e-wrap-secret-0123456789abcdef';
/** Boot (three Node processes plus Redis connections) on a loaded 2-core machine. */
const READY_TIMEOUT_MS = 20_000;
const EXIT_TIMEOUT_MS = 5_000;
const APPS = ['key-sync', 'secure-gateway', 'event-stream-ingress'] as const;

let scripts: Record<string, string>;
let portal: PortalSim;
let kitchen: KitchenSim;
let redis: Redis;
const prefix = uniqueRedisPrefix('distributed-e2e');

beforeAll(async () => {
  [scripts, portal, kitchen] = await Promise.all([
    bundleApps(...APPS),
    startPortalSim({ host: '127.0.0.1', sites: [SITE_ID], auth: PORTAL_AUTH }),
    startKitchenSim({ host: '127.0.0.1' }),
  ]);
  redis = new Redis(REDIS_URL, { lazyConnect: true });
  await redis.connect();
}, 60_000);

afterAll(async () => {
  await deleteKeysWithPrefix(redis, prefix);
  await Promise.all([portal.close(), kitchen.close(), redis.quit()]);
});

describe('key-sync, secure-gateway and event-stream-ingress as separate processes over Redis', () => {
  it('an encrypted order reaches the kitchen, a PES event sent by pos-sim reaches a gateway WebSocket client, a terminal transaction is relayed', async () => {
    const ops = { 'key-sync': await getFreePort(), 'secure-gateway': await getFreePort(), 'event-stream-ingress': await getFreePort() };
    const httpPort = await getFreePort();
    const pesPort = await getFreePort();
    const common = { LOG_LEVEL: 'info', REDIS_URL, REDIS_PREFIX: prefix, KEY_WRAP_SECRET: WRAP_SECRET, OPS_HOST: '127.0.0.1' };
    const envs: Record<(typeof APPS)[number], Record<string, string>> = {
      'key-sync': { ...common, PORTAL_URL: portal.url, PORTAL_AUTH, SITE_IDS: SITE_ID },
      'secure-gateway': {
        ...common,
        HTTP_HOST: '127.0.0.1',
        HTTP_PORT: String(httpPort),
        UPSTREAM_URL: kitchen.upstreamUrl,
        UPSTREAM_WS_URL: kitchen.upstreamWsUrl,
        TERMINAL_SITES: `${PINPAD_ID}=${SITE_ID}`,
      },
      'event-stream-ingress': {
        ...common,
        PES_HOST: '127.0.0.1',
        PES_PORT: String(pesPort),
        SITE_ID,
        INTEGRATOR_KEY_ID: INTEGRATOR.keyId,
        INTEGRATOR_SECRET_KEY: INTEGRATOR.secretKey,
      },
    };
    let exits: unknown[] = [];
    const procs = APPS.map((app) => new NodeProcess(scripts[app]!, { ...envs[app], OPS_PORT: String(ops[app]) }));
    try {
      // Listening first (the ops port answers from then on), then ready (Redis connected, keys loaded).
      await Promise.all(procs.map((proc) => proc.waitForRecord((r) => r['event'] === 'ServiceStarted', READY_TIMEOUT_MS)));
      await Promise.all(APPS.map((app) => waitForReady(`http://127.0.0.1:${ops[app]}`, READY_TIMEOUT_MS)));
      const target: DemoManifest = {
        pid: 0,
        gatewayUrl: `http://127.0.0.1:${httpPort}`,
        pes: { host: '127.0.0.1', port: pesPort },
        siteId: SITE_ID,
        portal: { url: portal.url, auth: PORTAL_AUTH, service: 'XKM' },
        integrator: INTEGRATOR,
        pinpadId: PINPAD_ID,
      };
      const result = await runDemo(target);

      // 1. key-sync → Redis → gateway: the gateway knew the key; the kitchen got the plaintext for the site
      expect(result.order).toMatchObject({ status: 200, encrypted: true });
      expect(JSON.parse(result.order.kitchenAnswer)).toMatchObject({ ok: true, kind: 'order', site: SITE_ID });
      const orders = kitchen.received().filter((r) => r.route === '/order');
      expect(orders).toHaveLength(1);
      expect(orders[0]).toMatchObject({ method: 'POST', site: SITE_ID });
      expect(JSON.parse(orders[0]!.body)).toMatchObject({ items: [{ name: 'Burger', qty: 2 }] });
      expect(orders[0]!.headers).not.toHaveProperty('sec-fingerprint');

      // 2. pos-sim → ingress → Redis Stream → gateway → WebSocket client
      expect(result.pes.acked).toBe(3);
      expect(result.pes.pushed.map((e) => e.msg_type)).toEqual(['create_order', 'add_item', 'add_item']);
      const stream = await redis.xrange(`${prefix}:{site:${SITE_ID}}:pes:events`, '-', '+');
      expect(stream.map(([id]) => id)).toEqual(result.pes.pushed.map((e) => e.id));

      // 3. device-sim dialled the gateway; the sale was relayed and approved
      expect(result.terminal.status).toBe(200);
      expect(result.terminal.response).toContain('<RESULT>APPROVED</RESULT>');
    } finally {
      for (const proc of procs) proc.kill('SIGTERM');
      exits = await Promise.all(procs.map((proc) => proc.exited(EXIT_TIMEOUT_MS)));
    }
    expect(exits).toEqual(APPS.map(() => ({ code: 0, signal: null })));
    for (const proc of procs) expect(proc.records().filter((r) => r['level'] === 'error')).toEqual([]);
  }, 55_000);
});

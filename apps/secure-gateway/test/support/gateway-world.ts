/**
 * The world of the gateway's integration tests: the Portal simulator, key-sync (through its factory),
 * the kitchen simulator and the gateway (through its factory) as real network peers on ephemeral ports,
 * on the real Redis under a unique `REDIS_PREFIX` that is deleted afterwards.
 */
import { Redis } from 'ioredis';
import { AleClient, type AleClientOptions } from '@pos-link/ale';
import { GatewayConfig, GatewayKeys, createGatewayApp, type GatewayAppOptions } from '@pos-link/gateway';
import { KeySyncConfig, createKeySyncApp } from '@pos-link/key-sync';
import { startKitchenSim, type KitchenSim } from '@pos-link/kitchen-sim';
import { createLogger, loadConfig, type LogLevelName, type ServiceHost } from '@pos-link/platform';
import { deleteKeysWithPrefix, readPrometheusMetric, uniqueRedisPrefix, waitFor } from '@pos-link/platform/testing';
import { startPortalSim, type PortalSim, type PortalSimOptions } from '@pos-link/portal-sim';

/** DESIGN §7: Redis tests use `REDIS_URL` (default `redis://127.0.0.1:6379`). */
export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** The wrap secret of every test instance (≥ 32 characters). */
export const TEST_WRAP_SECRET = 'gateway-test-wrap-secret-0123456789abcdef';

/**
 * key-sync tuned for tests (config, not sleeps): polls rarely (every refresh a test sees is the on-demand
 * one it caused), on-demand refreshes at most every 100 ms, fast back-off and Portal timeout. The lease is
 * long: each world runs ONE key-sync in the test's own process (leadership is tested in apps/key-sync), and
 * under a loaded CI run a 2 s lease could lapse during an event-loop stall — a refresh request arriving then
 * is ignored as "not leader", and a test waiting for that refresh fails for a reason it does not test.
 */
const KEY_SYNC_TEST_ENV: Readonly<Record<string, string>> = {
  KEYSYNC_POLL_MS: '600000',
  KEYSYNC_REFRESH_MIN_MS: '100',
  KEYSYNC_BACKOFF_MAX_MS: '300',
  KEYSYNC_PORTAL_TIMEOUT_MS: '1000',
  KEYSYNC_LOCK_TTL_MS: '15000',
};

/** A started gateway. */
export interface GatewayUnderTest {
  readonly app: ServiceHost;
  /** Public base URL. */
  readonly url: string;
  /** Ops base URL. */
  readonly opsUrl: string;
  readonly keys: GatewayKeys;
  /** Resolves once the gateway's cache knows `fingerprint` (rejects after 5 s). */
  waitForKey(fingerprint: string): Promise<void>;
  /** Resolves once the gateway's cache holds a record of `siteId` (rejects after 5 s). */
  waitForSite(siteId: string): Promise<void>;
  /** One series from `/metrics` (labels must match; others ignored); 0 when absent. */
  metric(name: string, labels?: Record<string, string>): Promise<number>;
  close(): Promise<void>;
}

/** Options of {@link startWorld}. */
export interface WorldOptions {
  /** The Portal's sites and options (rotation off by default). */
  readonly portal: PortalSimOptions;
  /** Extra gateway variables (e.g. `ALE_SUITES`, `DEFAULT_SITE_ID`). */
  readonly gatewayEnv?: Record<string, string>;
  /** Redis of this world (a private server for outage tests); default `REDIS_URL`. */
  readonly redisUrl?: string;
  /** Extra key-sync variables (e.g. a fast `KEYSYNC_POLL_MS`). */
  readonly keySyncEnv?: Record<string, string>;
}

/** Everything started by {@link startWorld}. */
export interface World {
  readonly prefix: string;
  readonly portal: PortalSim;
  readonly kitchen: KitchenSim;
  readonly keySync: ServiceHost;
  readonly gateway: GatewayUnderTest;
  /** Starts another gateway on the same Redis prefix and kitchen (different env or clock). */
  startGateway(env?: Record<string, string>, options?: GatewayAppOptions): Promise<GatewayUnderTest>;
  /** An `AleClient` for this gateway holding one of the Portal's keys. */
  client(options: Omit<AleClientOptions, 'baseUrl'> & { baseUrl?: string }): AleClient;
  /** Stops everything and deletes the prefix (also when the test stopped this world's Redis). */
  close(): Promise<void>;
}

/** Starts a gateway (its factory, in-process) against `redisUrl`/`prefix` and `upstreamUrl`. */
export async function startGateway(
  redisUrl: string,
  prefix: string,
  upstreamUrl: string,
  env: Record<string, string> = {},
  options: GatewayAppOptions = {},
): Promise<GatewayUnderTest> {
  const config = loadConfig(GatewayConfig, {
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    KEY_WRAP_SECRET: TEST_WRAP_SECRET,
    UPSTREAM_URL: upstreamUrl,
    HTTP_HOST: '127.0.0.1',
    HTTP_PORT: '0',
    OPS_HOST: '127.0.0.1',
    OPS_PORT: '0',
    // A loaded CI machine can take over a second for the Portal round trip: the wait is a bound, and a
    // refresh that arrives earlier ends it, so a long bound keeps the on-demand refresh tests honest.
    ALE_REFRESH_WAIT_MS: '5000',
    ...env,
  });
  // GATEWAY_TEST_LOG_LEVEL=debug shows the gateway's log lines while debugging a test.
  const level = (process.env['GATEWAY_TEST_LOG_LEVEL'] ?? 'silent') as LogLevelName;
  const app = await createGatewayApp(config, { logger: createLogger({ app: 'secure-gateway', level }), ...options });
  const endpoints = await app.listen();
  const url = endpoints.find((e) => e.name === 'http')!.url;
  const opsUrl = endpoints.find((e) => e.name === 'ops')!.url;
  const keys = app.nest.get(GatewayKeys, { strict: false });
  return {
    app,
    url,
    opsUrl,
    keys,
    waitForKey: (fingerprint) => waitFor(`gateway key ${fingerprint}`, () => keys.lookup(fingerprint) !== undefined).then(() => undefined),
    waitForSite: (siteId) => waitFor(`gateway site ${siteId}`, () => keys.site(siteId) !== undefined).then(() => undefined),
    metric: async (name, labels) => (readPrometheusMetric(await (await fetch(`${opsUrl}/metrics`)).text(), name, labels) ?? 0),
    close: () => app.close(),
  };
}

/** Starts the Portal, key-sync, the kitchen and a gateway; waits until the gateway holds every listed key. */
export async function startWorld(options: WorldOptions): Promise<World> {
  const redisUrl = options.redisUrl ?? REDIS_URL;
  const prefix = uniqueRedisPrefix('gateway');
  const portal = await startPortalSim({ rotationMs: 0, seed: prefix, ...options.portal });
  const kitchen = await startKitchenSim({ heartbeatMs: 0 });
  const siteIds = options.portal.sites.map((site) => (typeof site === 'string' ? site : site.siteId));
  const keySyncConfig = loadConfig(KeySyncConfig, {
    REDIS_URL: redisUrl,
    REDIS_PREFIX: prefix,
    KEY_WRAP_SECRET: TEST_WRAP_SECRET,
    PORTAL_URL: portal.url,
    PORTAL_AUTH: portal.auth,
    SITE_IDS: siteIds.join(','),
    OPS_HOST: '127.0.0.1',
    OPS_PORT: '0',
    ...KEY_SYNC_TEST_ENV,
    ...options.keySyncEnv,
  });
  const keySync = await createKeySyncApp(keySyncConfig, { logger: createLogger({ app: 'key-sync', level: 'silent' }) });
  await keySync.listen();
  const clients: AleClient[] = [];
  const gateways: GatewayUnderTest[] = [];
  const launch = async (env?: Record<string, string>, gatewayOptions?: GatewayAppOptions): Promise<GatewayUnderTest> => {
    const started = await startGateway(redisUrl, prefix, kitchen.upstreamUrl, { ...options.gatewayEnv, ...env }, gatewayOptions);
    gateways.push(started);
    return started;
  };
  const gateway = await launch();
  // The Portal lists keys of encrypted sites only: wait for those, and for the plaintext sites' records.
  for (const site of options.portal.sites) {
    const siteId = typeof site === 'string' ? site : site.siteId;
    if (typeof site !== 'string' && site.encryption === false) await gateway.waitForSite(siteId);
    else for (const key of portal.currentKeys(siteId)) await gateway.waitForKey(key.fingerprint);
  }
  return {
    prefix,
    portal,
    kitchen,
    keySync,
    gateway,
    startGateway: launch,
    client: (clientOptions) => {
      const client = new AleClient({ baseUrl: gateway.url, ...clientOptions });
      clients.push(client);
      return client;
    },
    close: async () => {
      for (const client of clients) await client.close();
      for (const started of gateways) await started.close();
      // Also while Redis is gone: every close step runs and none waits for Redis to come back.
      await keySync.close();
      await kitchen.close();
      await portal.close();
      const redis = new Redis(redisUrl, { maxRetriesPerRequest: 1, lazyConnect: true });
      try {
        await redis.connect();
        await deleteKeysWithPrefix(redis, prefix);
      } catch {
        // a private Redis stopped by the test is gone with its data
      } finally {
        redis.disconnect();
      }
    },
  };
}

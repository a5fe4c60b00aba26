import { Redis } from 'ioredis';
import { deriveWrapKey } from '@pos-link/crypto';
import { KeyCache, RedisKeyStore, RefreshRequester } from '@pos-link/keyring';
import { KEY_SYNC_ENGINE, KeySyncConfig, createKeySyncApp, type KeySyncAppOptions, type KeySyncEngine } from '@pos-link/key-sync';
import { createLogger, loadConfig, type ServiceHost } from '@pos-link/platform';
import { deleteKeysWithPrefix, LineCapture, readPrometheusMetric } from '@pos-link/platform/testing';
import type { PortalSim } from '@pos-link/portal-sim';
import type { LogAudit } from './log-audit';

/** DESIGN §7: Redis tests use `REDIS_URL` (default `redis://127.0.0.1:6379`). */
export const REDIS_URL = process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379';

/** The wrap secret of every test instance (≥ 32 characters). */
export const TEST_WRAP_SECRET = 'key-sync-test-wrap-secret-0123456789abcdef';

/**
 * Short intervals for tests (config, not sleeps): poll every 200 ms, at most one refresh per site per 300 ms,
 * back-off capped at 300 ms, Portal timeout 400 ms, lock TTL 1 s.
 */
export const FAST_ENV: Readonly<Record<string, string>> = {
  KEYSYNC_POLL_MS: '200',
  KEYSYNC_REFRESH_MIN_MS: '300',
  KEYSYNC_BACKOFF_MAX_MS: '300',
  KEYSYNC_PORTAL_TIMEOUT_MS: '400',
  KEYSYNC_LOCK_TTL_MS: '1000',
};

/** One key-sync instance built through the real factory, its ops URL and its captured log lines. */
export interface KeySyncUnderTest {
  readonly app: ServiceHost;
  readonly engine: KeySyncEngine;
  readonly opsUrl: string;
  readonly logs: LineCapture;
  /** The log records with `event === name`. */
  events(name: string): Record<string, unknown>[];
  /** The value of one series on `/metrics` (undefined when absent). */
  metric(name: string, labels?: Record<string, string>): Promise<number | undefined>;
  /** `/health/ready`: status and body. */
  ready(): Promise<{ status: number; body: Record<string, unknown> }>;
  close(): Promise<void>;
}

/** Environment for an instance against `portal` (Redis mode unless `REDIS_URL` is overridden as undefined). */
export function keySyncEnv(portal: PortalSim, prefix: string, siteIds: readonly string[], extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  return {
    REDIS_URL,
    REDIS_PREFIX: prefix,
    KEY_WRAP_SECRET: TEST_WRAP_SECRET,
    PORTAL_URL: portal.url,
    PORTAL_AUTH: portal.auth,
    SITE_IDS: siteIds.join(','),
    OPS_HOST: '127.0.0.1',
    OPS_PORT: '0',
    LOG_LEVEL: 'debug',
    KEY_GRACE_MS: '60000',
    ...FAST_ENV,
    ...extra,
  };
}

/** Builds and starts key-sync in-process with its logs captured into `audit` (`REDIS_URL` unset: in-memory mode). */
export async function startKeySync(
  env: NodeJS.ProcessEnv,
  audit: LogAudit,
  options: Omit<KeySyncAppOptions, 'logger'> = {},
): Promise<KeySyncUnderTest> {
  const inMemory = env['REDIS_URL'] === undefined;
  const config = loadConfig(KeySyncConfig, env, inMemory ? { allowUnset: ['REDIS_URL'] } : {});
  const logs = audit.capture(new LineCapture());
  const app = await createKeySyncApp(config, {
    ...options,
    logger: createLogger({ app: 'key-sync', level: config.logLevel, destination: logs }),
  });
  const endpoints = await app.listen();
  const opsUrl = endpoints.find((e) => e.name === 'ops')?.url ?? '';
  const engine = app.nest.get<KeySyncEngine>(KEY_SYNC_ENGINE);
  return {
    app,
    engine,
    opsUrl,
    logs,
    events: (name) => logs.records().filter((record) => record['event'] === name),
    metric: async (name, labels = {}) => readPrometheusMetric(await (await fetch(`${opsUrl}/metrics`)).text(), name, labels),
    ready: async () => {
      const response = await fetch(`${opsUrl}/health/ready`);
      return { status: response.status, body: (await response.json()) as Record<string, unknown> };
    },
    close: () => app.close(),
  };
}

/** A reader like a gateway's: its own Redis connection, store and `KeyCache`, and a refresh requester. */
export interface Reader {
  readonly cache: KeyCache;
  readonly store: RedisKeyStore;
  readonly requester: RefreshRequester;
  close(): Promise<void>;
}

/** Starts a reader on `prefix` (resync off: it must learn changes from the notifications). */
export async function startReader(prefix: string, requestIntervalMs = 0): Promise<Reader> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  const store = new RedisKeyStore({ redis, prefix, wrapKey: deriveWrapKey(TEST_WRAP_SECRET) });
  const cache = new KeyCache(store, { resyncIntervalMs: 0 });
  await cache.start();
  return {
    cache,
    store,
    requester: new RefreshRequester(store, requestIntervalMs),
    close: async () => {
      await cache.close();
      await store.close();
      await redis.quit();
    },
  };
}

/** Deletes every key under `prefix`. */
export async function cleanRedis(prefix: string): Promise<void> {
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
  try {
    await deleteKeysWithPrefix(redis, prefix);
  } finally {
    await redis.quit();
  }
}

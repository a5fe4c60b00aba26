import type { Registry } from 'prom-client';
import { deriveWrapKey } from '@pos-link/crypto';
import {
  MemoryKeyStore,
  MemoryPerKeyRateLimiter,
  RedisKeyStore,
  RedisPerKeyRateLimiter,
  type KeyStore,
  type PerKeyRateLimiter,
  type RedisConnection,
} from '@pos-link/keyring';
import type { KeySyncConfig } from './key-sync-config';
import { keySyncRedisLayout } from './key-sync-redis-layout';
import { SoleLeader, type LeaderElection } from './leader/leader-election';
import { RedisLeaderLock } from './leader/redis-leader-lock';
import { PortalClient, type SiteObjectSource } from './portal/portal-client';
import { KeySyncEngine } from './sync/key-sync-engine';
import { KeySyncMetrics } from './telemetry/key-sync-metrics';
import { KeySyncTelemetry, type KeySyncLogger } from './telemetry/key-sync-telemetry';

/** What {@link buildKeySyncEngine} wires together. */
export interface KeySyncEngineParts {
  /** The loaded config (`PORTAL_URL` and `PORTAL_AUTH` must be set). */
  readonly config: KeySyncConfig;
  /** The app's command connection, or null in in-memory mode (standalone without `REDIS_URL`). */
  readonly redis: RedisConnection | null;
  /** A dedicated pub/sub connection for the Redis store (required when `redis` is set and no store is given). */
  readonly subscriber?: RedisConnection | null;
  /** The app's logger and registry. */
  readonly logger: KeySyncLogger;
  readonly registry: Registry;
  /** A store to use instead of building one (the standalone process shares its in-memory store). */
  readonly keyStore?: KeyStore;
  /** A Portal to use instead of the HTTP client (tests of the engine alone). */
  readonly portal?: SiteObjectSource;
}

/** The engine and the store it was given or built (`ownsStore`: close it on shutdown). */
export interface BuiltKeySyncEngine {
  readonly engine: KeySyncEngine;
  readonly store: KeyStore;
  readonly ownsStore: boolean;
}

/**
 * Builds key-sync's engine for the mode the config selects (DESIGN §1): with Redis, a `RedisKeyStore` (values
 * wrapped under `KEY_WRAP_SECRET`), the leader lock and the shared per-site rate limiter; in memory, a
 * `MemoryKeyStore` (or the given one), a sole leader and an in-process limiter.
 * @throws TypeError when `PORTAL_URL`/`PORTAL_AUTH` are unset or a Redis store lacks its subscriber
 */
export function buildKeySyncEngine(parts: KeySyncEngineParts): BuiltKeySyncEngine {
  const { config, redis } = parts;
  if (config.portalUrl === undefined || config.portalAuth === undefined) {
    throw new TypeError('PORTAL_URL and PORTAL_AUTH are required (standalone mode sets them once the Portal simulator listens)');
  }
  const telemetry = new KeySyncTelemetry(parts.logger, new KeySyncMetrics(parts.registry, config.siteIds));
  const store = parts.keyStore ?? buildStore(parts, telemetry);
  const layout = keySyncRedisLayout(config.redisPrefix);
  let election: LeaderElection;
  let limiter: PerKeyRateLimiter;
  let leaderToken: string | undefined;
  if (redis === null) {
    election = new SoleLeader();
    limiter = new MemoryPerKeyRateLimiter(config.keysyncRefreshMinMs);
  } else {
    const lock = new RedisLeaderLock({
      redis,
      key: layout.leaderLock,
      ttlMs: config.keysyncLockTtlMs,
      onError: (error) => telemetry.lockError(error),
    });
    election = lock;
    leaderToken = lock.token;
    // PX needs a positive TTL: a 0 interval (no limit) uses the in-process limiter, which never refuses then.
    limiter =
      config.keysyncRefreshMinMs > 0
        ? new RedisPerKeyRateLimiter(redis, config.keysyncRefreshMinMs, (siteId) => layout.portalFetchLimit(siteId))
        : new MemoryPerKeyRateLimiter(0);
  }
  const portal =
    parts.portal ??
    new PortalClient({ baseUrl: config.portalUrl, authorization: config.portalAuth, timeoutMs: config.keysyncPortalTimeoutMs });
  const engine = new KeySyncEngine({
    siteIds: config.siteIds,
    service: config.portalService,
    pollMs: config.keysyncPollMs,
    refreshMinMs: config.keysyncRefreshMinMs,
    backoffMaxMs: config.keysyncBackoffMaxMs,
    // A healthy leader writes every site at least once per poll interval; a hand-over adds up to a lock TTL.
    staleAfterMs: 2 * config.keysyncPollMs + config.keysyncLockTtlMs,
    store,
    portal,
    election,
    limiter,
    telemetry,
    mode: redis === null ? 'memory' : 'redis',
    leaderToken,
  });
  return { engine, store, ownsStore: parts.keyStore === undefined };
}

function buildStore(parts: KeySyncEngineParts, telemetry: KeySyncTelemetry): KeyStore {
  const { config, redis } = parts;
  if (redis === null) return new MemoryKeyStore({ graceMs: config.keyGraceMs });
  if (parts.subscriber === undefined || parts.subscriber === null) throw new TypeError('a Redis store needs a subscriber connection');
  return new RedisKeyStore({
    redis,
    prefix: config.redisPrefix,
    wrapKey: deriveWrapKey(config.keyWrapSecret),
    graceMs: config.keyGraceMs,
    subscriber: parts.subscriber,
    onError: (error) => telemetry.storeError(error),
  });
}

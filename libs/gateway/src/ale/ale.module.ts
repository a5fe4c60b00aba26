import {
  Inject,
  Module,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import type { KeyStore } from '@pos-link/keyring';
import { APP_LOGGER, HealthRegistry, METRICS_REGISTRY, REDIS_CLIENT, REDIS_KEYS, type RedisClient, type RedisKeys } from '@pos-link/platform';
import { GatewayError } from '../errors/gateway-error';
import type { GatewayConfig } from '../gateway-config';
import { GATEWAY_EVENTS } from '../telemetry/gateway-events';
import { GatewayMetrics } from '../telemetry/gateway-metrics';
import { AleVerifier } from './ale-verifier';
import { GATEWAY_CLOCK, KEY_BACKEND, REPLAY_STORE } from './ale.tokens';
import { FailureBudget } from './failure-budget';
import { GatewayKeys } from './gateway-keys';
import { createKeyBackend, type KeyBackend } from './key-backend';
import { KeySelector } from './key-selector';
import { RedisReplayStore } from './redis-replay-store';
import { ReplayPolicy } from './replay-policy';
import { MemoryReplayStore, type ReplayStore } from './replay-store';
import { SiteResolver } from './site-resolver';

/**
 * How long `listen()` waits for the keys before opening the public port anyway (the ingress waits as long
 * for Redis). Past it the gateway listens not ready (readiness check `keys` down) and keeps retrying.
 */
export const KEYS_BOOT_WAIT_MS = 5_000;

/** Seams the standalone process (and tests) may pass instead of the Redis-backed defaults. */
export interface GatewaySeams {
  /** The key store key-sync writes (standalone: the shared `MemoryKeyStore`). Not closed by the gateway. */
  readonly keyStore?: KeyStore;
  /** Replay records (default Redis, or memory without Redis). */
  readonly replayStore?: ReplayStore;
  /** Time source for key validity, the replay window and the failure budget (default `Date.now`). */
  readonly clock?: () => number;
}

/** Starts the keys at bootstrap (bounded wait), reports readiness, closes everything at shutdown. */
class AleLifecycle implements OnApplicationBootstrap, OnApplicationShutdown {
  readonly #keys: GatewayKeys;
  readonly #backend: KeyBackend;
  readonly #health: HealthRegistry;
  readonly #logger: Logger;

  constructor(
    @Inject(GatewayKeys) keys: GatewayKeys,
    @Inject(KEY_BACKEND) backend: KeyBackend,
    @Inject(HealthRegistry) health: HealthRegistry,
    @Inject(APP_LOGGER) logger: Logger,
  ) {
    this.#keys = keys;
    this.#backend = backend;
    this.#health = health;
    this.#logger = logger;
  }

  async onApplicationBootstrap(): Promise<void> {
    this.#health.addReadinessCheck({
      name: 'keys',
      check: async () => {
        if (!this.#keys.isLoaded) throw new GatewayError('ERR_GATEWAY_KEYS_NOT_LOADED');
      },
    });
    let timer: NodeJS.Timeout | undefined;
    const bound = new Promise<void>((resolve) => (timer = setTimeout(resolve, KEYS_BOOT_WAIT_MS)));
    await Promise.race([this.#keys.start(), bound]);
    clearTimeout(timer);
  }

  /**
   * Closing must succeed with Redis gone (unsubscribing then fails): a failure is logged and the rest is
   * still released, so the process drains and exits.
   */
  async onApplicationShutdown(): Promise<void> {
    for (const [what, close] of [
      ['keys', () => this.#keys.close()],
      ['key store', () => this.#backend.close()],
    ] as const) {
      try {
        await close();
      } catch (err) {
        this.#logger.warn({ event: GATEWAY_EVENTS.ShutdownError, what, err }, 'release failed during shutdown');
      }
    }
  }
}

function gatewayKeysProvider(): Provider {
  return {
    provide: GatewayKeys,
    inject: [KEY_BACKEND, APP_LOGGER, GatewayMetrics],
    useFactory: (backend: KeyBackend, logger: Logger, metrics: GatewayMetrics) =>
      new GatewayKeys({
        store: backend.store,
        whenStoreReady: backend.whenReady,
        listener: {
          loaded: (sites) => {
            metrics.keysLoaded.set(1);
            logger.info({ event: GATEWAY_EVENTS.KeysLoaded, sites }, 'keys loaded');
          },
          loadFailed: (err, attempt, retryInMs) =>
            logger.warn({ event: GATEWAY_EVENTS.KeysLoadError, attempt, retryInMs, err }, 'keys not loaded yet; retrying'),
          cacheError: (err, siteId) =>
            logger.warn({ event: GATEWAY_EVENTS.KeysReloadError, siteId, err }, 'key reload failed; keeping the last good keys'),
          refreshRequested: (result, err) => {
            metrics.keyRefreshes.labels(result).inc();
            // At most one request per site per second is attempted (RefreshRequester), so this cannot flood.
            if (result === 'failed') logger.warn({ event: GATEWAY_EVENTS.KeyRefreshRequestError, err }, 'refresh request not published');
          },
        },
      }),
  };
}

/**
 * The ALE verification core as a Nest module (DESIGN §2/§3): the gateway's keys, replay store and policy,
 * failure budget, site resolution, key selection and the `AleVerifier` — plain classes, wired here once
 * and exported for every transport (the HTTP proxy, the ALE WebSocket). Build it ONCE per app with
 * `forRoot` and pass the same module object to each transport module, so they share one instance.
 */
@Module({})
export class AleModule {
  /**
   * @param config the loaded config
   * @param platform the app instance's platform modules (logger, metrics, Redis, ops)
   * @param seams standalone/test replacements
   */
  static forRoot(config: GatewayConfig, platform: readonly DynamicModule[], seams: GatewaySeams = {}): DynamicModule {
    return {
      module: AleModule,
      imports: [...platform],
      providers: [
        { provide: GATEWAY_CLOCK, useValue: seams.clock ?? Date.now },
        { provide: GatewayMetrics, inject: [METRICS_REGISTRY], useFactory: (registry: Registry) => new GatewayMetrics(registry) },
        {
          provide: KEY_BACKEND,
          inject: [REDIS_CLIENT, APP_LOGGER],
          useFactory: (redis: RedisClient | null, logger: Logger) =>
            createKeyBackend({
              given: seams.keyStore,
              redis,
              prefix: config.redisPrefix,
              keyWrapSecret: config.keyWrapSecret,
              graceMs: config.keyGraceMs,
              onError: (err) => logger.warn({ event: GATEWAY_EVENTS.KeysReloadError, err }, 'key store error'),
            }),
        },
        gatewayKeysProvider(),
        {
          provide: REPLAY_STORE,
          inject: [REDIS_CLIENT, REDIS_KEYS, GATEWAY_CLOCK],
          useFactory: (redis: RedisClient | null, keys: RedisKeys, clock: () => number): ReplayStore =>
            seams.replayStore ?? (redis === null ? new MemoryReplayStore(clock) : new RedisReplayStore(redis, keys)),
        },
        { provide: ReplayPolicy, useFactory: () => new ReplayPolicy(config.aleReplayWindowMs, config.aleReplayWindowSites) },
        { provide: FailureBudget, inject: [GATEWAY_CLOCK], useFactory: (clock: () => number) => new FailureBudget(config.aleFailureBudget, clock) },
        { provide: SiteResolver, inject: [GatewayKeys], useFactory: (keys: GatewayKeys) => new SiteResolver(keys, config.defaultSiteId) },
        {
          provide: KeySelector,
          inject: [GatewayKeys],
          useFactory: (keys: GatewayKeys) =>
            new KeySelector(keys, { skewMs: config.keySkewMs, graceMs: config.keyGraceMs, refreshWaitMs: config.aleRefreshWaitMs }),
        },
        {
          provide: AleVerifier,
          inject: [SiteResolver, KeySelector, ReplayPolicy, REPLAY_STORE, FailureBudget, GATEWAY_CLOCK],
          useFactory: (
            resolver: SiteResolver,
            selector: KeySelector,
            replayPolicy: ReplayPolicy,
            replayStore: ReplayStore,
            budget: FailureBudget,
            clock: () => number,
          ) =>
            new AleVerifier({
              resolver,
              selector,
              replayPolicy,
              replayStore,
              budget,
              suites: config.aleSuites,
              requireAuthorization: config.aleRequireAuthorization,
              clock,
            }),
        },
        AleLifecycle,
      ],
      exports: [AleVerifier, KeySelector, GatewayKeys, GatewayMetrics, FailureBudget, ReplayPolicy, REPLAY_STORE, GATEWAY_CLOCK],
    };
  }
}

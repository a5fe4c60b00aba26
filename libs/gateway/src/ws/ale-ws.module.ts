import {
  Inject,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import { APP_LOGGER, METRICS_REGISTRY, REDIS_CLIENT, type RedisClient } from '@pos-link/platform';
import { AleVerifier } from '../ale/ale-verifier';
import { GATEWAY_CLOCK } from '../ale/ale.tokens';
import { FailureBudget } from '../ale/failure-budget';
import { GatewayKeys } from '../ale/gateway-keys';
import { KeySelector } from '../ale/key-selector';
import type { GatewayConfig } from '../gateway-config';
import { UpgradeRouter } from '../upgrade/upgrade-router';
import { UpgradeModule } from '../upgrade/upgrade.module';
import { AleWsEndpoint } from './ale-ws-endpoint';
import { PES_EVENT_FEED, SITE_EVENT_BUS } from './ale-ws.tokens';
import { MemorySiteEventBus } from './bus/memory-site-event-bus';
import { RedisSiteEventBus } from './bus/redis-site-event-bus';
import type { SiteEventBus } from './bus/site-event-bus';
import { MemoryPesEventFeed } from './pes/memory-pes-event-feed';
import type { PesEventFeed } from './pes/pes-event-feed';
import { RedisPesEventFeed } from './pes/redis-pes-event-feed';
import { WsTelemetry } from './ws-telemetry';

/**
 * Seams the standalone process (and tests) may pass to the gateway for its WebSocket side: its shared
 * in-memory event bus and the PES feed over the ingress's memory log (DESIGN §1). Given ones are not
 * closed by the gateway.
 */
export interface AleWsSeams {
  /** The event bus (default: Redis pub/sub with `REDIS_URL`, else a private memory bus). */
  readonly eventBus?: SiteEventBus;
  /** The PES feed (default: Redis Streams with `REDIS_URL`, else an empty memory feed). */
  readonly pesEventFeed?: PesEventFeed;
}

/** What the module opened itself and must close (given seams belong to their owner). */
interface OwnedSeams {
  readonly bus: SiteEventBus | undefined;
  readonly feed: PesEventFeed | undefined;
}

const OWNED_SEAMS = Symbol('pos-link:gateway-ws-owned-seams');

/**
 * Plugs the endpoint into the upgrade router and starts its timers at init; at shutdown — before Nest
 * closes the HTTP server — drains and closes every socket (1001), then releases what it opened.
 */
class AleWsLifecycle implements OnModuleInit, BeforeApplicationShutdown, OnApplicationShutdown {
  readonly #endpoint: AleWsEndpoint;
  readonly #router: UpgradeRouter;
  readonly #owned: OwnedSeams;
  #unregister: (() => void) | undefined;

  constructor(
    @Inject(AleWsEndpoint) endpoint: AleWsEndpoint,
    @Inject(UpgradeRouter) router: UpgradeRouter,
    @Inject(OWNED_SEAMS) owned: OwnedSeams,
  ) {
    this.#endpoint = endpoint;
    this.#router = router;
    this.#owned = owned;
  }

  onModuleInit(): void {
    this.#unregister = this.#router.register(this.#endpoint);
    this.#endpoint.start();
  }

  async beforeApplicationShutdown(): Promise<void> {
    await this.#endpoint.close();
    this.#unregister?.();
  }

  async onApplicationShutdown(): Promise<void> {
    await Promise.all([this.#owned.bus?.close(), this.#owned.feed?.close()]);
  }
}

/**
 * The ALE WebSocket module (DESIGN §4): the endpoint at `/ws` and `/sites/{id}/ws` on the gateway's HTTP
 * server (through the shared `UpgradeRouter`), its event bus, PES feed and telemetry. Takes the app's ONE
 * `AleModule` (shared with the HTTP proxy), so upgrades and messages are checked by the same core.
 */
@Module({})
export class AleWsModule {
  /**
   * @param config the loaded config
   * @param ale the app's `AleModule.forRoot(...)`
   * @param platform the app instance's platform modules
   * @param seams standalone/test replacements of the bus and the feed
   */
  static forRoot(config: GatewayConfig, ale: DynamicModule, platform: readonly DynamicModule[], seams: AleWsSeams = {}): DynamicModule {
    return {
      module: AleWsModule,
      imports: [ale, UpgradeModule, ...platform],
      providers: [
        { provide: WsTelemetry, inject: [APP_LOGGER, METRICS_REGISTRY], useFactory: (logger: Logger, registry: Registry) => new WsTelemetry(logger, registry) },
        {
          provide: OWNED_SEAMS,
          inject: [REDIS_CLIENT, WsTelemetry],
          useFactory: (redis: RedisClient | null, telemetry: WsTelemetry): OwnedSeams => ({
            bus:
              seams.eventBus !== undefined
                ? undefined
                : redis === null
                  ? new MemorySiteEventBus((error) => telemetry.busError(error))
                  : new RedisSiteEventBus({ redis, prefix: config.redisPrefix, onError: (error) => telemetry.busError(error) }),
            feed:
              seams.pesEventFeed !== undefined
                ? undefined
                : redis === null
                  ? new MemoryPesEventFeed([], (error) => telemetry.feedError(undefined, error))
                  : new RedisPesEventFeed({ redis, prefix: config.redisPrefix, onError: (error) => telemetry.feedError(undefined, error) }),
          }),
        },
        { provide: SITE_EVENT_BUS, inject: [OWNED_SEAMS], useFactory: (owned: OwnedSeams) => seams.eventBus ?? owned.bus },
        { provide: PES_EVENT_FEED, inject: [OWNED_SEAMS], useFactory: (owned: OwnedSeams) => seams.pesEventFeed ?? owned.feed },
        {
          provide: AleWsEndpoint,
          inject: [AleVerifier, KeySelector, GatewayKeys, FailureBudget, GATEWAY_CLOCK, SITE_EVENT_BUS, PES_EVENT_FEED, WsTelemetry],
          useFactory: (
            verifier: AleVerifier,
            selector: KeySelector,
            keys: GatewayKeys,
            budget: FailureBudget,
            clock: () => number,
            bus: SiteEventBus,
            feed: PesEventFeed,
            telemetry: WsTelemetry,
          ) => {
            const settings = {
              maxPayloadBytes: config.aleWsMaxPayloadBytes,
              sendQueueMaxBytes: config.aleWsSendQueueMaxBytes,
              maxConnectionsPerIp: config.aleWsMaxConnectionsPerIp,
              pingMs: config.aleWsPingMs,
              heartbeatMs: config.aleWsHeartbeatMs,
              perMessageDeflate: config.aleWsPermessageDeflate,
              upstreamWsUrl: config.upstreamWsUrl,
            };
            telemetry.registered({ ...settings, upstreamWsUrl: settings.upstreamWsUrl !== undefined });
            return new AleWsEndpoint({
              core: {
                verifier,
                selector, // the ALE core's: the same selection rules as the HTTP side
                budget,
                suites: config.aleSuites,
                requireAuthorization: config.aleRequireAuthorization,
                clock,
                open: (address, input) => verifier.open(address, input),
              },
              keys,
              bus,
              feed,
              telemetry,
              settings,
            });
          },
        },
        AleWsLifecycle,
      ],
      exports: [AleWsEndpoint, SITE_EVENT_BUS, PES_EVENT_FEED],
    };
  }
}

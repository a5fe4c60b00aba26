import {
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyInstance, FastifyReply, FastifyRequest, HookHandlerDoneFunction } from 'fastify';
import type { Logger } from 'pino';
import type { Registry } from 'prom-client';
import {
  APP_LOGGER,
  HealthRegistry,
  METRICS_REGISTRY,
  REDIS_CLIENT,
  REDIS_KEYS,
  endpointOf,
  type RedisClient,
  type RedisKeys,
  type ServiceEndpoint,
} from '@pos-link/platform';
import { AleVerifier } from '../ale/ale-verifier';
import { GATEWAY_CLOCK } from '../ale/ale.tokens';
import { FailureBudget } from '../ale/failure-budget';
import { GatewayKeys } from '../ale/gateway-keys';
import { KeySelector } from '../ale/key-selector';
import type { GatewayConfig } from '../gateway-config';
import { GatewayMetrics } from '../telemetry/gateway-metrics';
import { UpgradeModule } from '../upgrade/upgrade.module';
import { UpgradeRouter } from '../upgrade/upgrade-router';
import { MemoryRelayBus } from './memory-relay-bus';
import { MemoryTerminalRegistry } from './memory-terminal-registry';
import { POS_HTTP_ROUTE, PosHttpRoute } from './pos-http-route';
import { PosWsEndpoint } from './pos-ws-endpoint';
import { RedisRelayBus } from './redis-relay-bus';
import { RedisTerminalRegistry } from './redis-terminal-registry';
import { RelayTelemetry } from './relay-telemetry';
import { TerminalEndpoint } from './terminal-endpoint';
import { TerminalRelay } from './terminal-relay';
import { parseTerminalSites } from './terminal-sites';
import { readTerminalTls } from './terminal-tls-config';
import { TerminalTlsListener } from './terminal-tls-listener';

/** Retry delays of the relay's bus subscription while Redis is unreachable at boot: doubling, capped. */
const START_RETRY_BASE_MS = 250;
const START_RETRY_MAX_MS = 5_000;

/** Route params of {@link POS_HTTP_ROUTE}. */
interface RouteParams {
  readonly siteId: string;
  readonly pinpadId: string;
}

/**
 * Wires the relay into the running app: the terminal and POS WebSocket handlers on the `UpgradeRouter`,
 * the POS HTTP route on fastify (a route-level `onRequest` hook on the raw request, like the ALE proxy),
 * the TLS listener for terminals, the bus subscription (retried until Redis answers) with its readiness
 * check, and the drain at shutdown: POS sockets 1001, terminals 1001 (they reconnect elsewhere), registry
 * entries released, the TLS listener closed.
 */
export class RelayHost implements OnModuleInit, OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly #config: GatewayConfig;
  readonly #relay: TerminalRelay;
  readonly #terminals: TerminalEndpoint;
  readonly #posWs: PosWsEndpoint;
  readonly #posHttp: PosHttpRoute;
  readonly #router: UpgradeRouter;
  readonly #adapterHost: HttpAdapterHost;
  readonly #health: HealthRegistry;
  readonly #telemetry: RelayTelemetry;
  readonly #tls: TerminalTlsListener | undefined;
  #subscribed = false;
  #stopping = false;
  #retryTimer: NodeJS.Timeout | undefined;

  /** @internal built by {@link RelayModule} */
  constructor(
    config: GatewayConfig,
    relay: TerminalRelay,
    terminals: TerminalEndpoint,
    posWs: PosWsEndpoint,
    posHttp: PosHttpRoute,
    router: UpgradeRouter,
    adapterHost: HttpAdapterHost,
    health: HealthRegistry,
    telemetry: RelayTelemetry,
  ) {
    this.#config = config;
    this.#relay = relay;
    this.#terminals = terminals;
    this.#posWs = posWs;
    this.#posHttp = posHttp;
    this.#router = router;
    this.#adapterHost = adapterHost;
    this.#health = health;
    this.#telemetry = telemetry;
    const material = readTerminalTls(config);
    this.#tls = material === undefined ? undefined : new TerminalTlsListener(material, terminals, telemetry);
  }

  /** Nest hook: registers the upgrade handlers and the HTTP route. */
  onModuleInit(): void {
    this.#router.register(this.#terminals.upgradeHandler());
    this.#router.register(this.#posWs.upgradeHandler());
    const fastify = this.#adapterHost.httpAdapter?.getInstance<FastifyInstance>();
    if (fastify === undefined) return; // an application context without HTTP
    const route = this.#posHttp;
    fastify.route({
      method: 'POST',
      url: POS_HTTP_ROUTE,
      // Served on the raw request like the ALE proxy (DESIGN §7): no body parsing, no Nest pipeline.
      onRequest: (request: FastifyRequest, reply: FastifyReply, _done: HookHandlerDoneFunction) => {
        const params = request.params as RouteParams;
        reply.hijack();
        route.handle(request.raw, reply.raw, params.siteId, params.pinpadId);
      },
      handler: async () => undefined,
    });
  }

  /** Nest hook: the readiness check, and the bus subscription (in the background: Redis may be down). */
  onApplicationBootstrap(): void {
    this.#health.addReadinessCheck({
      name: 'relay',
      check: async () => {
        if (!this.#subscribed) throw new Error('relay channel not subscribed yet');
      },
    });
    this.#start(START_RETRY_BASE_MS);
  }

  /**
   * Binds the terminals' TLS listener when `TLS_CERT`/`TLS_KEY` are set (called by the app factory after
   * the public port).
   */
  async listen(): Promise<ServiceEndpoint[]> {
    if (this.#tls === undefined) return [];
    const address = await this.#tls.listen(this.#config.terminalPort, this.#config.httpHost);
    return [endpointOf('terminals', 'wss', address)];
  }

  /** Nest hook: drains before the HTTP server closes (it waits for upgraded sockets). */
  async beforeApplicationShutdown(): Promise<void> {
    this.#stopping = true;
    clearTimeout(this.#retryTimer);
    this.#posWs.close();
    await this.#relay.close();
    await this.#tls?.close();
  }

  #start(delayMs: number): void {
    this.#relay.start().then(
      () => {
        this.#subscribed = true;
      },
      (error: unknown) => {
        if (this.#stopping) return;
        this.#telemetry.startFailed(error, delayMs);
        this.#retryTimer = setTimeout(() => this.#start(Math.min(delayMs * 2, START_RETRY_MAX_MS)), delayMs);
        this.#retryTimer.unref();
      },
    );
  }
}

/**
 * The terminal relay (DESIGN §5; `docs/specs/relay.md`). Import with the app's ONE `AleModule` (shared with
 * the other transports): POS requests are verified by the same ALE core as everything else.
 */
@Module({})
export class RelayModule {
  /**
   * @param config the loaded config
   * @param ale the app's `AleModule.forRoot(...)`
   * @param platform the app instance's platform modules
   */
  static forRoot(config: GatewayConfig, ale: DynamicModule, platform: readonly DynamicModule[]): DynamicModule {
    const sites = parseTerminalSites(config.terminalSites);
    const tlsOnly = config.tlsCert !== undefined && config.tlsKey !== undefined;
    return {
      module: RelayModule,
      imports: [ale, ...platform, UpgradeModule],
      providers: [
        {
          provide: RelayTelemetry,
          inject: [APP_LOGGER, METRICS_REGISTRY],
          useFactory: (logger: Logger, registry: Registry) => new RelayTelemetry(logger, registry),
        },
        {
          provide: TerminalRelay,
          inject: [REDIS_CLIENT, REDIS_KEYS, RelayTelemetry],
          useFactory: (redis: RedisClient | null, keys: RedisKeys, telemetry: RelayTelemetry) =>
            new TerminalRelay({
              registry:
                redis === null
                  ? new MemoryTerminalRegistry(config.relayRegistryTtlMs)
                  : new RedisTerminalRegistry(redis, keys, config.relayRegistryTtlMs),
              bus: redis === null ? new MemoryRelayBus() : new RedisRelayBus(redis, keys, (error) => telemetry.busFailed('subscriber', error)),
              telemetry,
              requestTimeoutMs: config.relayRequestTimeoutMs,
              sessionIdleMs: config.relaySessionIdleMs,
              pingIntervalMs: config.terminalPingIntervalMs,
              maxXmlBytes: config.relayMaxXmlBytes,
              registryTtlMs: config.relayRegistryTtlMs,
            }),
        },
        {
          provide: TerminalEndpoint,
          inject: [TerminalRelay, RelayTelemetry],
          useFactory: (relay: TerminalRelay, telemetry: RelayTelemetry) =>
            new TerminalEndpoint({
              path: config.terminalPath,
              sites,
              mutualTls: tlsOnly && config.terminalTlsCa !== undefined,
              tlsOnly,
              relay,
              telemetry,
              maxXmlBytes: config.relayMaxXmlBytes,
            }),
        },
        {
          provide: PosHttpRoute,
          inject: [AleVerifier, TerminalRelay, GatewayMetrics, RelayTelemetry],
          useFactory: (verifier: AleVerifier, relay: TerminalRelay, metrics: GatewayMetrics, telemetry: RelayTelemetry) =>
            new PosHttpRoute({ verifier, relay, metrics, telemetry, maxBodyBytes: config.aleMaxBodyBytes }),
        },
        {
          provide: PosWsEndpoint,
          inject: [AleVerifier, KeySelector, GatewayKeys, FailureBudget, GATEWAY_CLOCK, TerminalRelay, RelayTelemetry],
          useFactory: (
            verifier: AleVerifier,
            selector: KeySelector,
            keys: GatewayKeys,
            budget: FailureBudget,
            clock: () => number,
            relay: TerminalRelay,
            telemetry: RelayTelemetry,
          ) =>
            new PosWsEndpoint({
              core: {
                verifier,
                selector, // the ALE core's: the same selection rules (DESIGN §2/§3) over the same key cache
                budget,
                suites: config.aleSuites,
                requireAuthorization: config.aleRequireAuthorization,
                clock,
              },
              context: {
                verifier,
                keys,
                relay,
                clock,
                // The POS relay WebSocket follows the ALE WebSocket's settings (DESIGN §4).
                sendQueueMaxBytes: config.aleWsSendQueueMaxBytes,
                internalError: (error) => telemetry.posInternalError(error),
              },
              maxXmlBytes: config.relayMaxXmlBytes,
              pingMs: config.aleWsPingMs,
              clientIdPrefix: relay.replicaId,
              refused: (code) => telemetry.posRefused(code),
            }),
        },
        {
          provide: RelayHost,
          inject: [TerminalRelay, TerminalEndpoint, PosWsEndpoint, PosHttpRoute, UpgradeRouter, HttpAdapterHost, HealthRegistry, RelayTelemetry],
          useFactory: (
            relay: TerminalRelay,
            terminals: TerminalEndpoint,
            posWs: PosWsEndpoint,
            posHttp: PosHttpRoute,
            router: UpgradeRouter,
            adapterHost: HttpAdapterHost,
            health: HealthRegistry,
            telemetry: RelayTelemetry,
          ) => new RelayHost(config, relay, terminals, posWs, posHttp, router, adapterHost, health, telemetry),
        },
      ],
      exports: [TerminalRelay, RelayHost],
    };
  }
}

import { Inject, Module, type DynamicModule, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { FastifyAdapter } from '@nestjs/platform-fastify';
import type { Logger } from 'pino';
import { APP_LOGGER } from '@pos-link/platform';
import { AleVerifier } from '../ale/ale-verifier';
import type { GatewayConfig } from '../gateway-config';
import { GATEWAY_EVENTS } from '../telemetry/gateway-events';
import { GatewayMetrics } from '../telemetry/gateway-metrics';
import { AleHttpProxy } from './ale-http-proxy';
import { UpstreamClient } from './upstream-client';
import { UpstreamTargets } from './upstream-target';

/**
 * Registers the ALE proxy as a fastify `onRequest` hook on the app's fastify instance (DESIGN §7): every
 * request no route claims (fastify's 404 context — the WebSocket upgrade and relay routes are elsewhere)
 * is hijacked and served by `AleHttpProxy` on the raw request/response. Nest's pipeline (guards,
 * interceptors, pipes, body parsing) never sees these requests.
 */
class AleProxyHook implements OnModuleInit, OnApplicationShutdown {
  readonly #adapterHost: HttpAdapterHost;
  readonly #proxy: AleHttpProxy;
  readonly #upstream: UpstreamClient;

  constructor(@Inject(HttpAdapterHost) adapterHost: HttpAdapterHost, @Inject(AleHttpProxy) proxy: AleHttpProxy, @Inject(UpstreamClient) upstream: UpstreamClient) {
    this.#adapterHost = adapterHost;
    this.#proxy = proxy;
    this.#upstream = upstream;
  }

  onModuleInit(): void {
    const fastify = (this.#adapterHost.httpAdapter as FastifyAdapter | undefined)?.getInstance();
    // An application context without HTTP (a unit test of the module) has nothing to hook.
    if (fastify === undefined) return;
    const proxy = this.#proxy;
    fastify.addHook('onRequest', (request, reply, done) => {
      if (!request.is404) {
        done();
        return;
      }
      // The answer is written on the raw response; `done` is deliberately never called.
      reply.hijack();
      proxy.handle(request.raw, reply.raw);
    });
  }

  /** After the HTTP server has drained (Nest closes it before this hook): release the kitchen pools. */
  async onApplicationShutdown(): Promise<void> {
    await this.#upstream.close();
  }
}

/**
 * The ALE HTTP proxy module (DESIGN §3/§7): the kitchen client (one undici `Pool` per origin), the proxy
 * and its hook. Takes the app's ONE `AleModule` (shared with the WebSocket side).
 */
@Module({})
export class AleHttpModule {
  /**
   * @param config the loaded config
   * @param ale the app's `AleModule.forRoot(...)` (the same object every transport imports)
   * @param platform the app instance's platform modules
   */
  static forRoot(config: GatewayConfig, ale: DynamicModule, platform: readonly DynamicModule[]): DynamicModule {
    return {
      module: AleHttpModule,
      imports: [ale, ...platform],
      providers: [
        {
          provide: UpstreamClient,
          useFactory: () => new UpstreamClient({ timeoutMs: config.upstreamTimeoutMs, connections: config.upstreamConnections }),
        },
        {
          provide: AleHttpProxy,
          inject: [AleVerifier, UpstreamClient, GatewayMetrics, APP_LOGGER],
          useFactory: (verifier: AleVerifier, upstream: UpstreamClient, metrics: GatewayMetrics, logger: Logger) => {
            if (config.upstreamUrl === undefined) {
              logger.warn({ event: GATEWAY_EVENTS.UpstreamNotConfigured }, 'UPSTREAM_URL is unset: ALE requests are answered 502');
            }
            logger.info(
              {
                event: GATEWAY_EVENTS.ProxyRegistered,
                maxBodyBytes: config.aleMaxBodyBytes,
                suites: config.aleSuites,
                replayWindowMs: config.aleReplayWindowMs,
              },
              'ALE HTTP proxy ready',
            );
            return new AleHttpProxy({
              verifier,
              targets: config.upstreamUrl === undefined ? undefined : new UpstreamTargets(config.upstreamUrl),
              upstream,
              metrics,
              logger,
              maxBodyBytes: config.aleMaxBodyBytes,
            });
          },
        },
        AleProxyHook,
      ],
    };
  }
}

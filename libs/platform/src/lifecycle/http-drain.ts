import {
  Inject,
  Injectable,
  Module,
  type BeforeApplicationShutdown,
  type DynamicModule,
  type OnApplicationShutdown,
} from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';

/**
 * How often idle keep-alive connections are closed while an app drains. Closing the listener only
 * reaps the connections idle at that instant: a connection whose request was in flight becomes idle
 * afterwards and would hold the drain until the client's keep-alive timeout (fastify: 72 s).
 */
export const IDLE_REAP_INTERVAL_MS = 100;

function isNodeHttpServer(server: unknown): server is Pick<Server, 'closeIdleConnections'> {
  return typeof (server as Server | undefined)?.closeIdleConnections === 'function';
}

/**
 * During Nest's shutdown, closes the public HTTP server's idle keep-alive connections every
 * `IDLE_REAP_INTERVAL_MS`, so in-flight requests finish and their connections close right after
 * (graceful drain, DESIGN §7). A no-op for apps without an HTTP adapter.
 */
@Injectable()
export class IdleConnectionReaper implements BeforeApplicationShutdown, OnApplicationShutdown {
  readonly #adapterHost: HttpAdapterHost;
  #timer: NodeJS.Timeout | undefined;

  constructor(@Inject(HttpAdapterHost) adapterHost: HttpAdapterHost) {
    this.#adapterHost = adapterHost;
  }

  /** Starts reaping once the app begins to shut down. */
  beforeApplicationShutdown(): void {
    const server: unknown = this.#adapterHost.httpAdapter?.getHttpServer();
    if (!isNodeHttpServer(server) || this.#timer) return;
    this.#timer = setInterval(() => server.closeIdleConnections(), IDLE_REAP_INTERVAL_MS);
    this.#timer.unref();
  }

  /** Stops reaping once the listener has closed. */
  onApplicationShutdown(): void {
    clearInterval(this.#timer);
    this.#timer = undefined;
  }
}

/** Provides `IdleConnectionReaper`; part of every app's platform modules (`createServiceRuntime`). */
@Module({})
export class HttpDrainModule {
  /** The module with its reaper. */
  static forRoot(): DynamicModule {
    return { module: HttpDrainModule, providers: [IdleConnectionReaper] };
  }
}

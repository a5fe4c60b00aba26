import { Inject, Module, type BeforeApplicationShutdown, type OnApplicationBootstrap } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import type { Server } from 'node:http';
import { UpgradeRouter } from './upgrade-router';

/**
 * Attaches the one `UpgradeRouter` to the gateway's public HTTP server at bootstrap (before
 * `listen`, so no handshake can arrive unrouted) and detaches it when shutdown starts, so no new
 * WebSocket is accepted while the endpoints drain theirs (DESIGN §7 graceful shutdown).
 */
class UpgradeRouterAttachment implements OnApplicationBootstrap, BeforeApplicationShutdown {
  readonly #router: UpgradeRouter;
  readonly #adapterHost: HttpAdapterHost;

  constructor(@Inject(UpgradeRouter) router: UpgradeRouter, @Inject(HttpAdapterHost) adapterHost: HttpAdapterHost) {
    this.#router = router;
    this.#adapterHost = adapterHost;
  }

  /** Nest hook: becomes the server's `upgrade` listener. */
  onApplicationBootstrap(): void {
    const server = this.#adapterHost.httpAdapter?.getHttpServer() as Server | undefined;
    // An application context without an HTTP server (e.g. a unit test) has nothing to attach to.
    if (server !== undefined) this.#router.attach(server);
  }

  /** Nest hook: stops taking new handshakes. */
  beforeApplicationShutdown(): void {
    this.#router.detach();
  }
}

/**
 * Provides the gateway's `UpgradeRouter` (class token) to every module that imports it. A static
 * module, so Nest builds it once and the ALE WebSocket module and the terminal relay share one router.
 * Inject `UpgradeRouter` and call `register` in `onModuleInit`.
 */
@Module({
  providers: [{ provide: UpgradeRouter, useFactory: () => new UpgradeRouter() }, UpgradeRouterAttachment],
  exports: [UpgradeRouter],
})
export class UpgradeModule {}

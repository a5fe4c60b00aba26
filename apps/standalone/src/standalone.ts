import type { Logger } from 'pino';
import { formatEndpoints, type RunnableService, type ServiceEndpoint } from '@pos-link/platform';
import { createGatewayApp } from '@pos-link/gateway';
import { createIngressApp } from '@pos-link/ingress';
import { createKeySyncApp } from '@pos-link/key-sync';
import { MemoryKeyStore } from '@pos-link/keyring';
import type { ExtraService } from './extra-services';
import { loadStandaloneConfigs } from './standalone-env';

/** One started service and what it listens on. */
export interface StartedService {
  readonly name: string;
  readonly endpoints: readonly ServiceEndpoint[];
}

/** Options of `Standalone`. */
export interface StandaloneOptions {
  /** The process environment (one environment for all apps). */
  readonly env: NodeJS.ProcessEnv;
  /** The standalone process's own logger (each app has its own, labelled with its name). */
  readonly logger: Logger;
  /** Simulators and other services started before the apps (see `createExtraServices`). */
  readonly extras?: readonly ExtraService[];
}

/**
 * The composition root (DESIGN §1): key-sync, secure-gateway and event-stream-ingress in ONE
 * process, in-memory when `REDIS_URL` is unset (one shared `MemoryKeyStore`), plus the extra
 * services (simulators). `listen` starts the extras, then the apps (key-sync first: the others read
 * what it writes); `close` stops the apps together, then the shared seams, then the extras in reverse
 * order.
 */
export class Standalone implements RunnableService {
  /** `standalone`. */
  readonly name = 'standalone';
  readonly #options: StandaloneOptions;
  readonly #extras: RunnableService[] = [];
  readonly #apps: RunnableService[] = [];
  /** Seams shared by the apps (in-memory mode), closed after them. */
  readonly #shared: Array<{ close(): Promise<void> }> = [];
  readonly #started: StartedService[] = [];
  #listening: Promise<readonly ServiceEndpoint[]> | undefined;
  #closing: Promise<void> | undefined;

  /** @param options see `StandaloneOptions` */
  constructor(options: StandaloneOptions) {
    this.#options = options;
  }

  /** Every started service with its endpoints, in start order. */
  get services(): readonly StartedService[] {
    return this.#started;
  }

  /** Starts everything; on any failure stops what already started and rethrows. Idempotent. */
  listen(): Promise<readonly ServiceEndpoint[]> {
    this.#listening ??= this.#doListen();
    return this.#listening;
  }

  /** Stops every app (together), then the extras (in reverse). Idempotent. */
  close(): Promise<void> {
    this.#closing ??= this.#doClose();
    return this.#closing;
  }

  /** The readable block printed once everything listens. */
  banner(inMemory: boolean): string {
    const mode = inMemory ? 'in-memory mode (REDIS_URL unset)' : 'Redis mode (REDIS_URL set)';
    return `\npos-link standalone — ${mode}\n${formatEndpoints(this.#started)}\nCtrl-C stops everything.\n\n`;
  }

  async #doListen(): Promise<readonly ServiceEndpoint[]> {
    const { env, logger } = this.#options;
    try {
      const provided: Record<string, string> = {};
      for (const extra of this.#options.extras ?? []) {
        this.#extras.push(extra);
        this.#started.push({ name: extra.name, endpoints: await extra.listen() });
        Object.assign(provided, extra.provides?.());
      }
      const configs = loadStandaloneConfigs(env, provided);
      // In-memory mode, the apps share one key store: key-sync writes what the gateway reads (DESIGN §1).
      // With Redis each app uses its Redis-backed store, exactly as when distributed.
      const keyStore = configs.inMemory ? new MemoryKeyStore({ graceMs: configs.keySync.keyGraceMs }) : undefined;
      if (keyStore) this.#shared.push(keyStore);
      const builds = [
        () => createKeySyncApp(configs.keySync, { keyStore }),
        () => createGatewayApp(configs.gateway, { keyStore }),
        () => createIngressApp(configs.ingress),
      ];
      for (const build of builds) {
        const app = await build();
        this.#apps.push(app);
        this.#started.push({ name: app.name, endpoints: await app.listen() });
      }
      logger.info(
        { event: 'StandaloneStarted', inMemory: configs.inMemory, services: this.#started },
        'standalone listening',
      );
      return this.#started.flatMap((service) => service.endpoints);
    } catch (error) {
      await this.close();
      throw error;
    }
  }

  async #doClose(): Promise<void> {
    const results = await Promise.allSettled(this.#apps.map((app) => app.close()));
    results.push(...(await Promise.allSettled(this.#shared.map((seam) => seam.close()))));
    for (const extra of [...this.#extras].reverse()) results.push(...(await Promise.allSettled([extra.close()])));
    const failure = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
    if (failure) throw failure.reason;
  }
}

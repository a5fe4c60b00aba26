import type { INestApplicationContext } from '@nestjs/common';
import type { Logger } from 'pino';
import { OpsServer } from '../health/ops-server';
import type { RunnableService, ServiceEndpoint } from './runnable-service';
import type { Closable } from './shutdown';

/** Options of `ServiceHost`. */
export interface ServiceHostOptions {
  /** The service's name (`secure-gateway` …). */
  readonly name: string;
  /** The built (not yet listening) Nest application or application context; its root module imports `OpsModule`. */
  readonly app: INestApplicationContext;
  /** The app instance's logger. */
  readonly logger: Logger;
  /** Binds the public listeners after Nest's init (e.g. the gateway's HTTP port); default none. */
  readonly listenPublic?: () => Promise<readonly ServiceEndpoint[]>;
  /** Released after the Nest app has closed, in order (e.g. the Redis client). */
  readonly resources?: readonly Closable[];
}

/**
 * One app instance as a `RunnableService`: what every `create…App` factory returns. Building
 * (the factory) is separate from listening (STYLE 7); `listen` binds the public listeners first and
 * the ops port last, so a replica never reports ready before it can serve; `close` runs Nest's
 * shutdown (readiness turns 503, listeners drain, the ops port closes last) and then releases the
 * resources the app does not own through Nest (connections).
 */
export class ServiceHost implements RunnableService {
  /** The service's name. */
  readonly name: string;
  /** The app instance's logger. */
  readonly logger: Logger;
  readonly #app: INestApplicationContext;
  readonly #listenPublic: () => Promise<readonly ServiceEndpoint[]>;
  readonly #resources: readonly Closable[];
  #listening: Promise<readonly ServiceEndpoint[]> | undefined;
  #closing: Promise<void> | undefined;

  /** @param options see `ServiceHostOptions` */
  constructor(options: ServiceHostOptions) {
    this.name = options.name;
    this.logger = options.logger;
    this.#app = options.app;
    this.#listenPublic = options.listenPublic ?? (async () => []);
    this.#resources = options.resources ?? [];
  }

  /** The Nest application (for tests and for modules registering hooks before `listen`). */
  get nest(): INestApplicationContext {
    return this.#app;
  }

  /** Binds the public listeners, then the ops server; resolves with every endpoint. Idempotent. */
  listen(): Promise<readonly ServiceEndpoint[]> {
    if (this.#closing) return Promise.reject(new TypeError(`${this.name}: listen() after close()`));
    this.#listening ??= this.#doListen();
    return this.#listening;
  }

  /** Drains and releases everything. Idempotent; safe before `listen`. */
  close(): Promise<void> {
    this.#closing ??= this.#doClose();
    return this.#closing;
  }

  async #doListen(): Promise<readonly ServiceEndpoint[]> {
    await this.#app.init();
    const endpoints = [...(await this.#listenPublic())];
    endpoints.push(await this.#app.get(OpsServer, { strict: false }).listen());
    this.logger.info({ event: 'ServiceStarted', endpoints }, `${this.name} listening`);
    return endpoints;
  }

  async #doClose(): Promise<void> {
    const started = Date.now();
    try {
      await this.#app.close();
    } finally {
      for (const resource of this.#resources) await resource.close();
    }
    this.logger.info({ event: 'ServiceStopped', durationMs: Date.now() - started }, `${this.name} stopped`);
  }
}

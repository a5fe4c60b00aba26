import { createServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import { CustomTransportStrategy, Server } from '@nestjs/microservices';
import { PES_MAX_FRAME_BYTES_DEFAULT } from '@pos-link/protocol';
import type { IngressTelemetry } from '../metrics/ingress-telemetry';
import type { PesSessionSettings } from '../session/pes-session-types';
import { PES_CLOSE_DRAIN_MS_DEFAULT, PES_IDLE_TIMEOUT_MS_DEFAULT, PES_MAX_CONNECTIONS_DEFAULT } from '../session/pes-limits';
import type { PesEventLog } from '../store/pes-event-log';
import { PesConnection } from './pes-connection';

/** Options of {@link PesTransport}. */
export interface PesTransportOptions {
  /** `PES_PORT` (0 = any free port, see {@link PesTransport.port}). */
  readonly port: number;
  /** Interface to bind; default all. */
  readonly host?: string;
  readonly settings: PesSessionSettings;
  readonly eventLog: PesEventLog;
  readonly telemetry: IngressTelemetry;
  /** `PES_MAX_FRAME_BYTES`; default 1 MiB. */
  readonly maxFrameBytes?: number;
  /** Default {@link PES_IDLE_TIMEOUT_MS_DEFAULT}. */
  readonly idleTimeoutMs?: number;
  /** Default {@link PES_MAX_CONNECTIONS_DEFAULT}. */
  readonly maxConnections?: number;
  /** Bound on a graceful close (in-flight answers, peer FIN); default {@link PES_CLOSE_DRAIN_MS_DEFAULT}. */
  readonly closeDrainMs?: number;
}

/** `address:port` of the peer, for logs. */
function remoteOf(socket: Socket): string {
  return `${socket.remoteAddress ?? '?'}:${socket.remotePort ?? '?'}`;
}

/** Node's default `listen` backlog is 511; a site restart may reconnect thousands of POS sockets at once. */
const LISTEN_BACKLOG = 4096;

/**
 * The PES listener as a Nest custom transport strategy (STYLE 9, DESIGN §6): it owns the TCP server,
 * the sockets, the framing and one {@link PesConnection} (decoder + session state machine) per POS.
 * `listen` binds `PES_PORT`; `close` stops accepting, lets every connection answer what it has in
 * flight, and destroys what remains after the drain bound.
 *
 * ```ts
 * const app = await NestFactory.createMicroservice(IngressModule, { strategy: new PesTransport(options) });
 * await app.listen();
 * ```
 */
export class PesTransport extends Server implements CustomTransportStrategy {
  readonly #options: PesTransportOptions;
  readonly #connections = new Set<PesConnection>();
  readonly #telemetry: IngressTelemetry;
  #server: NetServer | undefined;
  #nextId = 0;
  #closing: Promise<void> | undefined;
  #idleWaiters: Array<() => void> = [];

  /** @throws TypeError on an invalid port or limit */
  constructor(options: PesTransportOptions) {
    super();
    const { port, maxConnections = PES_MAX_CONNECTIONS_DEFAULT } = options;
    if (!Number.isInteger(port) || port < 0 || port > 65535) throw new TypeError('port must be an integer in 0..65535');
    if (!Number.isSafeInteger(maxConnections) || maxConnections < 1) throw new TypeError('maxConnections must be a positive integer');
    this.#options = options;
    this.#telemetry = options.telemetry;
  }

  /** The bound port (the real one when configured with 0); `undefined` before `listen`. */
  get port(): number | undefined {
    const address = this.#server?.address();
    return address !== null && typeof address === 'object' ? (address as AddressInfo).port : undefined;
  }

  /** Open connections. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /**
   * Resolves once no connection is open (at once if none is): every closed connection has been
   * fully accounted for (metrics, logs). For drains and tests.
   */
  whenIdle(): Promise<void> {
    if (this.#connections.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.#idleWaiters.push(resolve));
  }

  /** Binds `PES_PORT`; `callback(err)` on failure (Nest's contract), `callback()` once listening. */
  listen(callback: (...optionalParams: unknown[]) => unknown): void {
    const server = createServer({ allowHalfOpen: true, pauseOnConnect: false }, (socket) => this.#accept(socket));
    this.#server = server;
    const onError = (error: Error): void => {
      callback(error);
    };
    server.once('error', onError);
    server.listen({ port: this.#options.port, host: this.#options.host, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', onError);
      callback();
    });
  }

  /**
   * Stops accepting, asks every connection to finish (answer in-flight events, end), and destroys what
   * is still open after the drain bound. Idempotent.
   */
  close(): Promise<void> {
    this.#closing ??= this.#close();
    return this.#closing;
  }

  /** Nest `Server` contract: this transport emits no events of its own. */
  on(): never {
    throw new TypeError('PesTransport does not emit events');
  }

  /** Nest `Server` contract: the underlying `net.Server`. */
  unwrap<T>(): T {
    if (this.#server === undefined) throw new TypeError('PesTransport is not listening');
    return this.#server as T;
  }

  #accept(socket: Socket): void {
    const max = this.#options.maxConnections ?? PES_MAX_CONNECTIONS_DEFAULT;
    if (this.#connections.size >= max || this.#closing !== undefined) {
      if (this.#closing === undefined) this.#telemetry.connectionRefused(remoteOf(socket), max);
      socket.on('error', () => undefined);
      socket.destroy();
      return;
    }
    this.#nextId += 1;
    const id = `c${this.#nextId}`;
    this.#telemetry.connectionAccepted(id, () => remoteOf(socket));
    const connection = new PesConnection(socket, {
      id,
      settings: this.#options.settings,
      eventLog: this.#options.eventLog,
      telemetry: this.#telemetry,
      maxFrameBytes: this.#options.maxFrameBytes ?? PES_MAX_FRAME_BYTES_DEFAULT,
      idleTimeoutMs: this.#options.idleTimeoutMs ?? PES_IDLE_TIMEOUT_MS_DEFAULT,
      closeDrainMs: this.#options.closeDrainMs ?? PES_CLOSE_DRAIN_MS_DEFAULT,
    });
    this.#connections.add(connection);
    socket.once('close', () => {
      this.#connections.delete(connection);
      if (this.#connections.size > 0) return;
      for (const resolve of this.#idleWaiters.splice(0)) resolve();
    });
  }

  async #close(): Promise<void> {
    const server = this.#server;
    if (server === undefined) return;
    const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const connection of this.#connections) connection.shutdown();
    const drainMs = this.#options.closeDrainMs ?? PES_CLOSE_DRAIN_MS_DEFAULT;
    const timer = setTimeout(() => {
      for (const connection of this.#connections) connection.destroy();
    }, drainMs);
    await stopped; // resolves once every connection has closed
    clearTimeout(timer);
  }
}

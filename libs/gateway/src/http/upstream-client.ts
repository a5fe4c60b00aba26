import type { IncomingHttpHeaders } from 'node:http';
import { Pool, type Dispatcher } from 'undici';
import { GatewayError } from '../errors/gateway-error';

/**
 * Largest kitchen answer the gateway buffers. An answer is sealed as a whole (GCM over the full body),
 * so it is held in memory; EK answers are small JSON documents and 8 MiB bounds what one request can pin.
 */
export const UPSTREAM_MAX_RESPONSE_BYTES = 8 * 1024 * 1024;

/** A connect attempt never waits longer than this, even with a longer `UPSTREAM_TIMEOUT_MS`. */
const MAX_CONNECT_TIMEOUT_MS = 10_000;

/** Socket errors that mean "the kitchen cannot be reached" (502). */
const UNAVAILABLE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ETIMEDOUT',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'UND_ERR_CLOSED',
  'UND_ERR_DESTROYED',
  'UND_ERR_ABORTED',
]);

/** undici's deadlines: no headers, or a body that stalls, within `UPSTREAM_TIMEOUT_MS` (504). */
const TIMEOUT_CODES: ReadonlySet<string> = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/** One request to the kitchen. */
export interface UpstreamRequest {
  readonly origin: string;
  /** Path and query. */
  readonly path: string;
  readonly method: string;
  readonly headers: Record<string, string | string[]>;
  /** The body; undefined or empty for none. */
  readonly body: Buffer | undefined;
}

/** The kitchen's complete answer. */
export interface UpstreamAnswer {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Options of {@link UpstreamClient}. */
export interface UpstreamClientOptions {
  /** `UPSTREAM_TIMEOUT_MS`. */
  readonly timeoutMs: number;
  /** `UPSTREAM_CONNECTIONS`: connections per kitchen origin. */
  readonly connections: number;
  /** Largest answer buffered; default {@link UPSTREAM_MAX_RESPONSE_BYTES}. */
  readonly maxResponseBytes?: number;
}

/**
 * The kitchen side of the proxy (DESIGN §3/§7): one undici `Pool` per upstream origin, requests dispatched
 * with a minimal collecting handler (no stream objects per answer), errors mapped to the gateway's codes.
 */
export class UpstreamClient {
  readonly #options: UpstreamClientOptions;
  readonly #pools = new Map<string, Pool>();
  #closed = false;

  /** @param options deadlines and pool size */
  constructor(options: UpstreamClientOptions) {
    this.#options = options;
  }

  /**
   * Sends one request and collects the whole answer.
   * @throws GatewayError `ERR_GATEWAY_UPSTREAM_UNAVAILABLE`, `ERR_GATEWAY_UPSTREAM_TIMEOUT`,
   *   `ERR_GATEWAY_UPSTREAM_RESPONSE_TOO_LARGE`, `ERR_GATEWAY_INTERNAL` (rejects)
   */
  send(request: UpstreamRequest): Promise<UpstreamAnswer> {
    if (this.#closed) return Promise.reject(new GatewayError('ERR_GATEWAY_UPSTREAM_UNAVAILABLE'));
    const pool = this.#pool(request.origin);
    return new Promise((resolve, reject) => {
      const handler = new CollectingHandler(resolve, reject, this.#options.maxResponseBytes ?? UPSTREAM_MAX_RESPONSE_BYTES);
      pool.dispatch(
        {
          path: request.path,
          method: request.method as Dispatcher.HttpMethod,
          headers: request.headers,
          body: request.body === undefined || request.body.length === 0 ? null : request.body,
        },
        handler,
      );
    });
  }

  /** Closes every pool, letting in-flight requests finish. */
  async close(): Promise<void> {
    this.#closed = true;
    const pools = [...this.#pools.values()];
    this.#pools.clear();
    await Promise.all(pools.map((pool) => pool.close()));
  }

  #pool(origin: string): Pool {
    let pool = this.#pools.get(origin);
    if (pool === undefined) {
      const { timeoutMs, connections } = this.#options;
      pool = new Pool(origin, {
        connections,
        pipelining: 1,
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        connect: { timeout: Math.min(timeoutMs, MAX_CONNECT_TIMEOUT_MS) },
      });
      this.#pools.set(origin, pool);
    }
    return pool;
  }
}

/** Maps an undici failure to the gateway's code (a `GatewayError` passes through). */
export function upstreamError(error: unknown): GatewayError {
  if (error instanceof GatewayError) return error;
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && TIMEOUT_CODES.has(code)) return new GatewayError('ERR_GATEWAY_UPSTREAM_TIMEOUT', { cause: error });
  if (typeof code === 'string' && UNAVAILABLE_CODES.has(code)) return new GatewayError('ERR_GATEWAY_UPSTREAM_UNAVAILABLE', { cause: error });
  return new GatewayError('ERR_GATEWAY_INTERNAL', { cause: error });
}

/** Collects one answer in memory (undici's controller-style handler). */
class CollectingHandler implements Dispatcher.DispatchHandler {
  readonly #resolve: (answer: UpstreamAnswer) => void;
  readonly #reject: (error: GatewayError) => void;
  readonly #maxBytes: number;
  #status = 0;
  #headers: IncomingHttpHeaders = {};
  #chunks: Buffer[] = [];
  #size = 0;

  constructor(resolve: (answer: UpstreamAnswer) => void, reject: (error: GatewayError) => void, maxBytes: number) {
    this.#resolve = resolve;
    this.#reject = reject;
    this.#maxBytes = maxBytes;
  }

  /** Present so undici treats this as a controller-style handler (it checks for this method); nothing to do. */
  onRequestStart(): void {
    return undefined;
  }

  onResponseStart(controller: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    this.#status = statusCode;
    this.#headers = headers;
    const declared = Number(headers['content-length']);
    if (declared > this.#maxBytes) controller.abort(new GatewayError('ERR_GATEWAY_UPSTREAM_RESPONSE_TOO_LARGE'));
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#size += chunk.length;
    if (this.#size > this.#maxBytes) {
      controller.abort(new GatewayError('ERR_GATEWAY_UPSTREAM_RESPONSE_TOO_LARGE'));
      return;
    }
    this.#chunks.push(chunk);
  }

  onResponseEnd(): void {
    const chunks = this.#chunks;
    const body = chunks.length === 1 ? (chunks[0] as Buffer) : Buffer.concat(chunks, this.#size);
    this.#resolve({ status: this.#status, headers: this.#headers, body });
  }

  onResponseError(_controller: Dispatcher.DispatchController, error: Error): void {
    this.#reject(upstreamError(error));
  }
}

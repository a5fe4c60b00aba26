import type { FastifyAdapter } from '@nestjs/platform-fastify';
import type { GatewayConfig } from '../gateway-config';

/** What `new FastifyAdapter(...)` takes (Nest's own fastify copy and its types). */
export type FastifyAdapterOptions = NonNullable<ConstructorParameters<typeof FastifyAdapter>[0]>;

/**
 * Node checks request and header deadlines on a timer, every 30 s by default — far too coarse for a
 * 10 s headers deadline. Check at half the headers deadline, at least every second, at most every 50 ms.
 */
function connectionsCheckingInterval(headersTimeoutMs: number): number {
  return Math.min(1_000, Math.max(50, Math.floor(headersTimeoutMs / 2)));
}

/**
 * The public listener's fastify/Node options (DESIGN §7 limits, slowloris):
 * - `headersTimeout` / `requestTimeout`: a client that dribbles its headers or body gets Node's 408 and the
 *   connection is closed (`HTTP_HEADERS_TIMEOUT_MS`, `HTTP_REQUEST_TIMEOUT_MS`);
 * - `keepAliveTimeout`: idle keep-alive connections close (`HTTP_KEEP_ALIVE_TIMEOUT_MS`);
 * - `bodyLimit`: fastify's parser limit for routes other than the ALE proxy (which reads the raw stream
 *   with its own cap, `ALE_MAX_BODY_BYTES`);
 * - no request logging (the hot path logs nothing per request, DESIGN §7);
 * - `skipMiddie`: no Nest middleware runs on the public port, so its `onRequest` layer is not installed.
 */
export function httpServerOptions(config: GatewayConfig): FastifyAdapterOptions {
  const requestTimeout = Math.max(config.httpRequestTimeoutMs, config.httpHeadersTimeoutMs);
  return {
    logger: false,
    bodyLimit: config.aleMaxBodyBytes,
    requestTimeout,
    keepAliveTimeout: config.httpKeepAliveTimeoutMs,
    http: {
      headersTimeout: config.httpHeadersTimeoutMs,
      requestTimeout,
      connectionsCheckingInterval: connectionsCheckingInterval(config.httpHeadersTimeoutMs),
    },
    skipMiddie: true,
  };
}

import { Cluster, Redis, type ClusterOptions, type RedisOptions } from 'ioredis';
import { once } from 'node:events';
import type { Logger } from 'pino';
import { PlatformError } from '../errors/platform-error';
import { PLATFORM_ERROR_CODES } from '../errors/platform-error-codes';
import { parseRedisUrl, type RedisNode, type RedisTarget } from './redis-url';

/** A connection from `createRedisClient`: one server/Sentinel-managed master, or a Cluster. */
export type RedisClient = Redis | Cluster;

/** Reconnect back-off: 50 ms doubling, capped at 2 s, jittered (±50 %) so replicas do not reconnect in step. */
const RECONNECT_BASE_MS = 50;
const RECONNECT_MAX_MS = 2_000;

function reconnectDelay(attempt: number): number {
  const ceiling = Math.min(RECONNECT_MAX_MS, RECONNECT_BASE_MS * 2 ** Math.min(attempt, 16));
  return Math.round(ceiling * (0.5 + Math.random() / 2));
}

/**
 * The options every pos-link Redis connection starts from (STYLE 6: ioredis' own
 * `DEFAULT_REDIS_OPTIONS` is the model). Each choice, and why:
 * - `lazyConnect: false` — connect at construction, so `/health/ready` reflects the connection
 *   from the first probe and a wrong URL shows up at boot, not at the first event.
 * - `enableOfflineQueue: false` — a command issued while disconnected fails at once instead of
 *   queueing without bound: the ingress must nack (code 5, "store unavailable") rather than hold an
 *   event it has not stored, and the gateway must answer rather than hang. Callers wait for
 *   readiness at start (`waitForRedisReady`) and subscribe after it.
 * - `maxRetriesPerRequest: 1` — a command in flight when the connection drops is resent once after
 *   the reconnect, then fails; writes that must not be duplicated are idempotent by design
 *   (e.g. the ingress's msg_id dedupe, DESIGN §6).
 * - `connectTimeout: 5000` — a black-holed address fails in seconds, not ioredis' 10 s.
 * - `disconnectTimeout: 500` — at shutdown a socket that does not close after `end()` is destroyed
 *   within half a second (ioredis waits 2 s), so a dead connection does not eat the drain budget.
 * - no `commandTimeout` — blocking reads (XREAD BLOCK) would trip it; callers that need a
 *   deadline set one per call.
 * - `retryStrategy` — reconnect for ever with capped, jittered back-off (`reconnectDelay`).
 */
export const DEFAULT_REDIS_OPTIONS = {
  lazyConnect: false,
  enableOfflineQueue: false,
  enableReadyCheck: true,
  maxRetriesPerRequest: 1,
  connectTimeout: 5_000,
  disconnectTimeout: 500,
  retryStrategy: reconnectDelay,
} as const satisfies RedisOptions;

/** Options of `createRedisClient`. */
export interface RedisClientOptions {
  /** Client name (`CLIENT SETNAME`), so `CLIENT LIST` shows which app holds a connection. */
  readonly name: string;
  /** Connection errors are logged here (warn) instead of ioredis' "Unhandled error event". */
  readonly logger: Logger;
  /** Per-caller changes to `DEFAULT_REDIS_OPTIONS` (e.g. `enableOfflineQueue: true` for a best-effort writer). */
  readonly overrides?: Partial<RedisOptions>;
}

/** What `createRedisClient` would construct for a target: exported so the URL forms can be tested without a server. */
export type RedisConstruction =
  | { readonly kind: 'redis'; readonly options: RedisOptions }
  | { readonly kind: 'cluster'; readonly nodes: readonly RedisNode[]; readonly options: ClusterOptions };

/** Maps a parsed `REDIS_URL` to ioredis constructor arguments. */
export function redisConstructionFor(target: RedisTarget, options: Omit<RedisClientOptions, 'logger'>): RedisConstruction {
  const common: RedisOptions = {
    ...DEFAULT_REDIS_OPTIONS,
    connectionName: options.name,
    ...(target.username !== undefined ? { username: target.username } : {}),
    ...(target.password !== undefined ? { password: target.password } : {}),
    ...options.overrides,
  };
  switch (target.mode) {
    case 'standalone':
      return {
        kind: 'redis',
        options: {
          ...common,
          host: target.node.host,
          port: target.node.port,
          db: target.db,
          ...(target.tls ? { tls: { servername: target.node.host } } : {}),
        },
      };
    case 'sentinel':
      return {
        kind: 'redis',
        options: {
          ...common,
          sentinels: target.sentinels.map((node) => ({ ...node })),
          name: target.masterName,
          role: 'master',
          db: target.db,
          sentinelRetryStrategy: reconnectDelay,
          ...(target.sentinelUsername !== undefined ? { sentinelUsername: target.sentinelUsername } : {}),
          ...(target.sentinelPassword !== undefined ? { sentinelPassword: target.sentinelPassword } : {}),
          ...(target.tls ? { tls: {}, enableTLSForSentinelMode: true, sentinelTLS: {} } : {}),
        },
      };
    case 'cluster': {
      const { retryStrategy: _r, enableOfflineQueue, lazyConnect, enableReadyCheck, ...redisOptions } = common;
      return {
        kind: 'cluster',
        nodes: target.nodes,
        options: {
          enableOfflineQueue,
          lazyConnect,
          enableReadyCheck,
          clusterRetryStrategy: reconnectDelay,
          redisOptions: { ...redisOptions, ...(target.tls ? { tls: {} } : {}) },
        },
      };
    }
  }
}

/**
 * Connects to the Redis a `REDIS_URL` designates (all documented forms, see `parseRedisUrl`) with
 * `DEFAULT_REDIS_OPTIONS`. Key prefixes are NOT applied by the client: callers build keys with
 * `RedisKeys`, so keys, channels and script KEYS all carry the same prefix and hash tag.
 * Throws `PlatformError` `ERR_PLATFORM_REDIS_URL_INVALID` for a malformed URL.
 */
export function createRedisClient(url: string, options: RedisClientOptions): RedisClient {
  const construction = redisConstructionFor(parseRedisUrl(url), options);
  const client =
    construction.kind === 'cluster'
      ? new Cluster(construction.nodes.map((node) => ({ ...node })), construction.options)
      : new Redis(construction.options);
  client.on('error', (error: Error & { code?: string }) => {
    options.logger.warn(
      { event: 'RedisConnectionError', client: options.name, code: error.code, reason: error.message },
      'redis connection error',
    );
  });
  return client;
}

/**
 * Resolves once the client is ready (connected, and for a Cluster, slots known); rejects with
 * `PlatformError` `ERR_PLATFORM_REDIS_NOT_READY` after `timeoutMs`.
 */
export async function waitForRedisReady(client: RedisClient, timeoutMs: number): Promise<void> {
  if (client.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      client.off('ready', onReady);
      reject(new PlatformError(PLATFORM_ERROR_CODES.ERR_PLATFORM_REDIS_NOT_READY, `Redis not ready within ${timeoutMs} ms`));
    }, timeoutMs);
    const onReady = (): void => {
      clearTimeout(timer);
      resolve();
    };
    client.once('ready', onReady);
  });
}

/** ioredis states in which a socket is open (or opening) and closing it ends with an 'end' event. */
const SOCKET_OPEN = new Set(['connecting', 'connect', 'ready']);

/**
 * Closes a client politely (`QUIT`, letting in-flight replies arrive), or at once if it is not
 * connected; resolves when the connection has ended. Idempotent.
 */
export async function closeRedisClient(client: RedisClient): Promise<void> {
  if (client.status === 'end') return;
  if (!SOCKET_OPEN.has(client.status)) {
    // Between reconnect attempts there is no socket: ioredis only cancels the timer, emits no 'end'.
    client.disconnect();
    return;
  }
  const ended = once(client, 'end');
  if (client.status === 'ready') {
    try {
      await client.quit();
    } catch {
      client.disconnect();
    }
  } else {
    client.disconnect();
  }
  await ended;
}

import { PlatformError } from '../errors/platform-error';
import { PLATFORM_ERROR_CODES } from '../errors/platform-error-codes';

/** One Redis (or Sentinel) server address. */
export interface RedisNode {
  readonly host: string;
  readonly port: number;
}

/** Credentials taken from a URL's user-info part (percent-decoded). */
export interface RedisAuth {
  readonly username?: string;
  readonly password?: string;
}

/**
 * What a `REDIS_URL` designates (DESIGN §8). The documented forms:
 * - `redis://[user:pass@]host[:6379][/db]`, `rediss://…` (TLS): one server;
 * - `redis+sentinel://[user:pass@]h1[:26379],h2[:26379]/masterName[/db][?sentinelPassword=…&sentinelUsername=…]`
 *   (`rediss+sentinel://` = TLS to the master and the sentinels; user-info authenticates to the master);
 * - `redis+cluster://[user:pass@]h1[:6379],h2[:6379]` (`rediss+cluster://` = TLS): seed nodes of a Cluster.
 */
export type RedisTarget =
  | (RedisAuth & { readonly mode: 'standalone'; readonly tls: boolean; readonly node: RedisNode; readonly db: number })
  | (RedisAuth & {
      readonly mode: 'sentinel';
      readonly tls: boolean;
      readonly sentinels: readonly RedisNode[];
      readonly masterName: string;
      readonly db: number;
      readonly sentinelUsername?: string;
      readonly sentinelPassword?: string;
    })
  | (RedisAuth & { readonly mode: 'cluster'; readonly tls: boolean; readonly nodes: readonly RedisNode[] });

/** Default ports: Redis servers and Sentinels (redis.io). */
const REDIS_PORT = 6379;
const SENTINEL_PORT = 26379;

// scheme, user-info, host list, path, query — split by hand because WHATWG URL cannot parse a host
// list (`h1:26379,h2:26379` is not a valid port) and would reject the `+` forms inconsistently.
const URL_SHAPE = /^(rediss?)(\+sentinel|\+cluster)?:\/\/(?:([^@/?#]*)@)?([^/?#]*)(\/[^?#]*)?(?:\?([^#]*))?$/;
const HOST_PORT = /^(\[[0-9a-fA-F:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/;
const DB_INDEX = /^\d{1,5}$/;

function invalid(reason: string): PlatformError {
  // The URL itself is never quoted: it may carry a password.
  return new PlatformError(PLATFORM_ERROR_CODES.ERR_PLATFORM_REDIS_URL_INVALID, `invalid Redis URL: ${reason}`);
}

function decode(part: string, what: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    throw invalid(`${what} is not valid percent-encoding`);
  }
}

function parseAuth(userInfo: string | undefined): RedisAuth {
  if (userInfo === undefined || userInfo === '') return {};
  const colon = userInfo.indexOf(':');
  const user = decode(colon < 0 ? userInfo : userInfo.slice(0, colon), 'user name');
  const password = colon < 0 ? undefined : decode(userInfo.slice(colon + 1), 'password');
  return {
    ...(user !== '' ? { username: user } : {}),
    ...(password !== undefined && password !== '' ? { password } : {}),
  };
}

function parseNodes(hostList: string, defaultPort: number): RedisNode[] {
  if (hostList === '') throw invalid('no host');
  return hostList.split(',').map((entry) => {
    const match = HOST_PORT.exec(entry.trim());
    if (!match) throw invalid('a host entry is malformed');
    const port = match[2] === undefined ? defaultPort : Number(match[2]);
    if (port < 1 || port > 65535) throw invalid('a port is outside 1..65535');
    return { host: match[1].replace(/^\[(.*)\]$/, '$1'), port };
  });
}

function parseDb(text: string | undefined): number {
  if (text === undefined || text === '') return 0;
  if (!DB_INDEX.test(text)) throw invalid('the database index must be a non-negative integer');
  return Number(text);
}

function parseQuery(query: string | undefined, allowed: readonly string[]): Map<string, string> {
  const params = new URLSearchParams(query ?? '');
  const out = new Map<string, string>();
  for (const [key, value] of params) {
    if (!allowed.includes(key)) throw invalid(`unknown query parameter "${key}"`);
    out.set(key, value);
  }
  return out;
}

/**
 * Parses a `REDIS_URL` into a `RedisTarget` without connecting. Throws `PlatformError`
 * `ERR_PLATFORM_REDIS_URL_INVALID` (whose message never repeats the URL) for anything else.
 */
export function parseRedisUrl(url: string): RedisTarget {
  const match = URL_SHAPE.exec(url.trim());
  if (!match) {
    throw invalid('expected redis://, rediss://, redis+sentinel:// or redis+cluster://');
  }
  const [, scheme, variant, userInfo, hostList, path = '', query] = match;
  const tls = scheme === 'rediss';
  const auth = parseAuth(userInfo);
  const segments = path.split('/').filter((s) => s !== '');

  if (variant === '+sentinel') {
    const params = parseQuery(query, ['sentinelPassword', 'sentinelUsername']);
    if (segments.length < 1 || segments.length > 2) throw invalid('a Sentinel URL needs /masterName[/db]');
    const sentinelUsername = params.get('sentinelUsername');
    const sentinelPassword = params.get('sentinelPassword');
    return {
      mode: 'sentinel',
      tls,
      ...auth,
      sentinels: parseNodes(hostList, SENTINEL_PORT),
      masterName: decode(segments[0], 'master name'),
      db: parseDb(segments[1]),
      ...(sentinelUsername ? { sentinelUsername } : {}),
      ...(sentinelPassword ? { sentinelPassword } : {}),
    };
  }
  parseQuery(query, []);
  if (variant === '+cluster') {
    if (segments.length > 0) throw invalid('a Cluster URL has no path (Cluster has only database 0)');
    return { mode: 'cluster', tls, ...auth, nodes: parseNodes(hostList, REDIS_PORT) };
  }
  const nodes = parseNodes(hostList, REDIS_PORT);
  if (nodes.length !== 1) throw invalid('a redis:// URL names one host (use redis+cluster:// or redis+sentinel://)');
  if (segments.length > 1) throw invalid('the path must be /db');
  return { mode: 'standalone', tls, ...auth, node: nodes[0], db: parseDb(segments[0]) };
}

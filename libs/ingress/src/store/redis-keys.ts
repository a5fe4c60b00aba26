import { RedisKeys } from '@pos-link/platform';

/**
 * The ingress's Redis key layout (DESIGN §8; documented in docs/specs/ingress.md), built with the
 * platform's {@link RedisKeys} so every key of a site carries the `{site:<id>}` hash tag: the stream and
 * the dedupe keys of one site live in one Redis Cluster slot, and one Lua script may touch them all.
 */
export interface PesRedisKeys {
  /** `<prefix>:{site:<id>}:pes:events` — the stream (DESIGN §8). */
  readonly stream: string;
  /**
   * `<prefix>:{site:<id>}:pes:msg:` — prefix of the per-`msg_id` dedupe keys. The `msg_id` is appended
   * as is (up to 128 characters, protocol cap); braces in it cannot move the slot, because Redis
   * Cluster hashes the FIRST `{…}` of a key, which is the site tag.
   */
  readonly dedupePrefix: string;
}

/**
 * Builds the key names of `siteId` under `prefix` (`REDIS_PREFIX`, default `poslink`).
 * @throws TypeError when the prefix or site id is empty or contains braces
 */
export function pesRedisKeys(prefix: string, siteId: string): PesRedisKeys {
  const keys = new RedisKeys(prefix);
  return { stream: keys.site(siteId, 'pes', 'events'), dedupePrefix: `${keys.site(siteId, 'pes', 'msg')}:` };
}

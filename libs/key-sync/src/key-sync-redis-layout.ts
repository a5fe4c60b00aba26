import { keyringRedisLayout } from '@pos-link/keyring';

/** The Redis keys key-sync adds to the keyring's layout (documented in the README and the spec). */
export interface KeySyncRedisLayout {
  /**
   * `<prefix>:keysync:leader` — string with a PX expiry: the token of the replica that may fetch and write
   * (`RedisLeaderLock`). One per prefix: every key-sync sharing a `REDIS_PREFIX` is one deployment.
   */
  readonly leaderLock: string;
  /** `<prefix>:{site:<id>}:ratelimit:portal-fetch` — the keyring's `RedisPerKeyRateLimiter` key per site. */
  portalFetchLimit(siteId: string): string;
}

/**
 * key-sync's Redis keys under `prefix` (`REDIS_PREFIX`).
 * @throws TypeError for a prefix the keyring refuses (spaces, braces, over 64 characters)
 */
export function keySyncRedisLayout(prefix: string): KeySyncRedisLayout {
  const keyring = keyringRedisLayout(prefix);
  return {
    leaderLock: `${prefix}:keysync:leader`,
    portalFetchLimit: (siteId) => keyring.siteRateLimit(siteId, 'portal-fetch'),
  };
}

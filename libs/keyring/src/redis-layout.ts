import { assertSiteId } from './site-key';

/**
 * Every Redis key and channel the keyring uses (documented in the README). All keys of one site share the
 * hash tag `{site:<id>}` (DESIGN §2) so they land in one Redis Cluster slot; the fingerprint index and the
 * site set are cross-site by nature and are only ever touched one key per command.
 */
export interface KeyringRedisLayout {
  /** `<prefix>:{site:<id>}:keys` — string: the site's JSON record, key values wrapped. */
  site(siteId: string): string;
  /** `<prefix>:keys:fp:<fingerprint>` — string: the id of the site that owns the fingerprint. */
  fingerprint(fingerprint: string): string;
  /** `<prefix>:{site:<id>}:ratelimit:<name>` — string with a PX expiry (`RedisPerKeyRateLimiter`). */
  siteRateLimit(siteId: string, name: string): string;
  /** `<prefix>:{site:<id>}:refresh-epoch` — integer: advanced by readers asking for a refresh (`INCR`). */
  refreshEpoch(siteId: string): string;
  /** `<prefix>:keys:sites` — set of every site id written. */
  readonly sites: string;
  /** `<prefix>:keys:changed` — channel; message = the id of the site whose keys were (re)written. */
  readonly changedChannel: string;
  /** `<prefix>:keys:refresh` — channel; message = the id of a site to refresh from the Portal now. */
  readonly refreshChannel: string;
}

/** Prefixes end up in every key: no spaces, no hash-tag braces (they would change the cluster slot). */
const PREFIX_PATTERN = /^[\x21-\x7a\x7c\x7e]{1,64}$/;

/** Rate-limit names are fixed strings chosen by code. */
const NAME_PATTERN = /^[a-z0-9-]{1,32}$/;

/**
 * The layout under `prefix` (`REDIS_PREFIX`, default `poslink`).
 * @throws TypeError for a prefix with spaces or braces, or longer than 64 characters
 */
export function keyringRedisLayout(prefix: string): KeyringRedisLayout {
  if (typeof prefix !== 'string' || !PREFIX_PATTERN.test(prefix)) {
    throw new TypeError('prefix must be 1-64 visible ASCII characters without braces');
  }
  return {
    site: (siteId) => {
      assertSiteId(siteId);
      return `${prefix}:{site:${siteId}}:keys`;
    },
    fingerprint: (fingerprint) => `${prefix}:keys:fp:${fingerprint}`,
    siteRateLimit: (siteId, name) => {
      assertSiteId(siteId);
      if (!NAME_PATTERN.test(name)) throw new TypeError('rate-limit name must be 1-32 of [a-z0-9-]');
      return `${prefix}:{site:${siteId}}:ratelimit:${name}`;
    },
    refreshEpoch: (siteId) => {
      assertSiteId(siteId);
      return `${prefix}:{site:${siteId}}:refresh-epoch`;
    },
    sites: `${prefix}:keys:sites`,
    changedChannel: `${prefix}:keys:changed`,
    refreshChannel: `${prefix}:keys:refresh`,
  };
}

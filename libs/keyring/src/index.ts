/**
 * `@pos-link/keyring`: the per-site key model of DESIGN §2 (seed 001) — Portal parsing, validity rules,
 * encryption-key selection — the `KeyStore` seam with its Redis and in-memory implementations, the readers'
 * `KeyCache`, refresh requests, a per-key rate limiter and a thin Nest module. Test fixtures are in
 * `@pos-link/keyring/testing`.
 */

export {
  KEYRING_ERROR_CODES,
  KeyringError,
  SITE_INVALID_CODES,
  isSiteInvalidError,
  type KeyringErrorCode,
} from './errors';

export { assertSiteId, isValidFingerprint, isValidSiteId, type SiteKey, type SiteKeys } from './site-key';
export { parsePortalTimestamp } from './portal-timestamp';
export {
  DEFAULT_PORTAL_SERVICE,
  MAX_KEY_VALUE_LENGTH,
  MAX_SITE_KEYS,
  parseSiteSecurity,
  type SiteSecurity,
} from './site-security';
export {
  DEFAULT_GRACE_MS,
  DEFAULT_SKEW_MS,
  canDecrypt,
  canEncrypt,
  isPastGrace,
  selectEncryptionKey,
  type KeyValidity,
} from './validity';

export type { KeyStore, ReplaceSiteResult, Unsubscribe } from './key-store';
export { MemoryKeyStore, type MemoryKeyStoreOptions } from './memory-key-store';
export { RedisKeyStore, type RedisKeyStoreOptions } from './redis-key-store';
export { keyringRedisLayout, type KeyringRedisLayout } from './redis-layout';
export type { RedisConnection } from './redis-channels';

export {
  DEFAULT_RESYNC_INTERVAL_MS,
  KeyCache,
  type CachedSite,
  type KeyCacheOptions,
  type KeyLookup,
} from './key-cache';
export {
  DEFAULT_REFRESH_REQUEST_INTERVAL_MS,
  RefreshRequestListener,
  RefreshRequester,
  type RefreshRequestListenerOptions,
} from './refresh';
export { MemoryPerKeyRateLimiter, RedisPerKeyRateLimiter, type PerKeyRateLimiter } from './rate-limiter';

export {
  KEYRING_OPTIONS,
  KEY_STORE,
  KeyringModule,
  type KeyringModuleAsyncOptions,
  type KeyringModuleOptions,
} from './keyring.module';
export { KeyedServiceConfig } from './keyed-service-config';

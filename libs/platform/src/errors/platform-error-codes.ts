/**
 * The one registry of `@pos-link/platform` error codes (STYLE 4). A code is a stable string that
 * callers and operators may match on; a retired code is never reused — mark it retired here instead.
 */
export const PLATFORM_ERROR_CODES = {
  /** One or more environment variables are missing or invalid; `ConfigError.issues` names each. */
  ERR_PLATFORM_CONFIG_INVALID: 'ERR_PLATFORM_CONFIG_INVALID',
  /** A Redis URL is not one of the documented forms (redis, rediss, redis+sentinel, redis+cluster). */
  ERR_PLATFORM_REDIS_URL_INVALID: 'ERR_PLATFORM_REDIS_URL_INVALID',
  /** A Redis client did not become ready within the caller's deadline. */
  ERR_PLATFORM_REDIS_NOT_READY: 'ERR_PLATFORM_REDIS_NOT_READY',
  /** Closing a service did not finish within the drain timeout (`DRAIN_TIMEOUT_MS`). */
  ERR_PLATFORM_DRAIN_TIMEOUT: 'ERR_PLATFORM_DRAIN_TIMEOUT',
  /** A readiness check did not answer within its deadline. */
  ERR_PLATFORM_HEALTH_CHECK_TIMEOUT: 'ERR_PLATFORM_HEALTH_CHECK_TIMEOUT',
} as const;

/** Union of every `@pos-link/platform` error code. */
export type PlatformErrorCode = (typeof PLATFORM_ERROR_CODES)[keyof typeof PLATFORM_ERROR_CODES];

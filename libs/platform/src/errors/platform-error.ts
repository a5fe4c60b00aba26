import type { PlatformErrorCode } from './platform-error-codes';

/**
 * An operational failure of the platform layer (bad configuration, unreachable Redis, a drain that
 * timed out). Programmer misuse throws `TypeError` instead (STYLE 4). Messages never contain a
 * secret: they name variables, hosts and limits, never values marked secret.
 */
export class PlatformError extends Error {
  /** Stable code from `PLATFORM_ERROR_CODES`. */
  readonly code: PlatformErrorCode;

  /**
   * @param code stable code from `PLATFORM_ERROR_CODES`
   * @param message human-readable explanation (must not contain secret values)
   * @param options standard `ErrorOptions` (`cause`)
   */
  constructor(code: PlatformErrorCode, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'PlatformError';
    this.code = code;
  }
}

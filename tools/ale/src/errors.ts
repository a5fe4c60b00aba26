/**
 * Error registry of `@pos-link/ale` (STYLE 4): the ONE place where its codes are listed. `TypeError` is
 * for programmer misuse (a missing option, an unknown suite name); {@link AleClientError} with a stable
 * `code` is for what comes back from the network — the gateway, the Portal — or for input that does not
 * decrypt. Codes are never reused once retired; the README's table mirrors {@link ALE_CLIENT_ERROR_CODES}.
 * Messages never contain key values or plaintext.
 */

/** code → fixed description (also the error's `message`). */
export const ALE_CLIENT_ERROR_CODES = Object.freeze({
  ERR_ALE_CLIENT_DECRYPT_FAILED: 'Unable to decrypt',
  ERR_ALE_CLIENT_FINGERPRINT_UNKNOWN: 'The message names a fingerprint this client holds no key for',
  ERR_ALE_CLIENT_MESSAGE_INVALID: 'The message is not readable ALE (security headers, IV, suite or envelope malformed)',
  ERR_ALE_CLIENT_UPGRADE_REFUSED: 'The gateway refused the WebSocket upgrade',
  ERR_ALE_CLIENT_PORTAL_UNAVAILABLE: 'The Portal could not be reached or did not answer 200',
  ERR_ALE_CLIENT_PORTAL_SITE_INVALID: 'The Portal site object is invalid',
  ERR_ALE_CLIENT_ENCRYPTION_OFF: 'The site has encryption turned off: send plaintext',
  ERR_ALE_CLIENT_NO_VALID_KEY: 'The site lists no key that is valid now',
} as const);

/** Every code an {@link AleClientError} can carry. */
export type AleClientErrorCode = keyof typeof ALE_CLIENT_ERROR_CODES;

/** Extra facts about a failure (never secrets). */
export interface AleClientErrorDetails {
  /** HTTP status of a refused upgrade or a failed Portal fetch. */
  readonly status?: number;
  /** Body of a refused upgrade (the gateway's plaintext JSON error, e.g. `{"errorCode":2,…}`). */
  readonly body?: string;
  /** A short, value-free reason (e.g. which keyring check failed). */
  readonly reason?: string;
  /** The underlying error. */
  readonly cause?: unknown;
}

/** A failure caused by what the network or the input said; branch on `code`, never on `message`. */
export class AleClientError extends Error {
  /** Stable identifier of the failure. */
  readonly code: AleClientErrorCode;
  /** HTTP status, when one is involved. */
  readonly status: number | undefined;
  /** The peer's answer body, when one is involved. */
  readonly body: string | undefined;
  /** A value-free reason, when known. */
  readonly reason: string | undefined;

  /** @param code a registered code @param details status, body, reason, cause */
  constructor(code: AleClientErrorCode, details: AleClientErrorDetails = {}) {
    super(ALE_CLIENT_ERROR_CODES[code], details.cause === undefined ? undefined : { cause: details.cause });
    this.name = 'AleClientError';
    this.code = code;
    this.status = details.status;
    this.body = details.body;
    this.reason = details.reason;
  }
}

/** True when `value` is an {@link AleClientError}, optionally with the given code. */
export function isAleClientError(value: unknown, code?: AleClientErrorCode): value is AleClientError {
  return value instanceof AleClientError && (code === undefined || value.code === code);
}

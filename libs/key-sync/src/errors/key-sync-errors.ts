/**
 * The ONE registry of `@pos-link/key-sync` error codes (STYLE 4). A code is a stable string that logs,
 * metrics (`error_code` label) and operators match on; a retired code is never reused for another meaning —
 * mark it retired here instead. Messages are fixed per code plus a short detail (a site id, an HTTP status,
 * a limit) and never carry a key value, the Portal's `Authorization` value or a Portal response body
 * (DESIGN §2: "no key value ever appears in a log line, an error, a metric label or a health response").
 *
 * Invalid site objects keep the keyring's own codes (`ERR_KEYRING_SITE_*`, `ERR_KEYRING_FINGERPRINT_CONFLICT`):
 * key-sync logs and counts them as they are instead of wrapping them in a code of its own.
 */
export const KEYSYNC_ERROR_CODES = {
  /** The Portal answered with a status other than 200 (outcome `http_error`). */
  ERR_KEYSYNC_PORTAL_HTTP_STATUS: 'Portal answered an unexpected HTTP status',
  /** The Portal could not be reached or dropped the connection before a full answer (outcome `http_error`). */
  ERR_KEYSYNC_PORTAL_UNREACHABLE: 'Portal unreachable or connection lost',
  /** No complete answer within `KEYSYNC_PORTAL_TIMEOUT_MS` (outcome `timeout`). */
  ERR_KEYSYNC_PORTAL_TIMEOUT: 'Portal did not answer in time',
  /** The 200 body is not JSON, e.g. truncated (outcome `invalid`). */
  ERR_KEYSYNC_PORTAL_BODY_INVALID: 'Portal answer is not JSON',
  /** The 200 body is over the size limit (outcome `invalid`). */
  ERR_KEYSYNC_PORTAL_BODY_TOO_LARGE: 'Portal answer is too large',
  /** The key store failed to take a valid site object (Redis down, contended); the last good keys stay. */
  ERR_KEYSYNC_STORE_WRITE_FAILED: 'key store write failed',
  /** The write was fenced: this replica no longer holds the leader lock, so it wrote nothing. */
  ERR_KEYSYNC_NOT_LEADER: 'not the leader: write skipped',
  /** Readiness: a configured site has no key that is valid now (and encryption is on). */
  ERR_KEYSYNC_SITE_KEYS_MISSING: 'no valid keys for site',
  /** Readiness: the service has not loaded the key store yet. */
  ERR_KEYSYNC_NOT_STARTED: 'key-sync has not started yet',
} as const;

/** A key-sync error code (the keys of {@link KEYSYNC_ERROR_CODES}). */
export type KeySyncErrorCode = keyof typeof KEYSYNC_ERROR_CODES;

/**
 * An error about something outside key-sync's control (the Portal, the store) or a refused write. Programmer
 * misuse throws `TypeError` instead (STYLE 4).
 */
export class KeySyncError extends Error {
  /** The stable code; see {@link KEYSYNC_ERROR_CODES}. */
  readonly code: KeySyncErrorCode;

  /**
   * @param code the stable code
   * @param detail context for operators appended to the code's message; MUST NOT hold a secret or a body
   * @param options `cause` (e.g. the undici or keyring error behind it)
   */
  constructor(code: KeySyncErrorCode, detail?: string, options?: { cause?: unknown }) {
    const base = KEYSYNC_ERROR_CODES[code];
    super(detail === undefined ? base : `${base}: ${detail}`, options);
    this.name = 'KeySyncError';
    this.code = code;
  }
}

/** True when `error` is a {@link KeySyncError} (optionally with the given code). */
export function isKeySyncError(error: unknown, code?: KeySyncErrorCode): error is KeySyncError {
  return error instanceof KeySyncError && (code === undefined || error.code === code);
}

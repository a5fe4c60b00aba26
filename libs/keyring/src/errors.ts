/**
 * The one registry of keyring error codes (STYLE 4). Codes are stable strings: callers and metrics match on
 * them, so a retired code is never reused for another meaning. Messages never contain a key value
 * (DESIGN §2, docs/principles.md 3); fingerprints are public identifiers (DESIGN §3) and may appear.
 *
 * A site object that breaks a DESIGN §2 rule is invalid as a WHOLE: every reason has its own code, all
 * starting with `ERR_KEYRING_SITE_` (see {@link SITE_INVALID_CODES}), so key-sync can count them with a
 * bounded `error_code` label and keep the site's last good keys.
 */
export const KEYRING_ERROR_CODES = {
  /** A Portal timestamp is not a readable UTC ISO-8601 date-time (DESIGN §2, seed 001). */
  ERR_KEYRING_TIMESTAMP_INVALID: 'timestamp is not a readable UTC ISO-8601 date-time',
  /** The site object is not a JSON object. */
  ERR_KEYRING_SITE_NOT_OBJECT: 'site object is not a JSON object',
  /** The `security` field or its entry for the configured service is missing or not an object. */
  ERR_KEYRING_SITE_SECURITY_MISSING: 'security entry for the service is missing',
  /** `encryption` is not a boolean (DESIGN §2). */
  ERR_KEYRING_SITE_ENCRYPTION_INVALID: 'encryption is not a boolean',
  /** `keys` is present but not an array. */
  ERR_KEYRING_SITE_KEYS_INVALID: 'keys is not an array',
  /** More than two keys (seed 001: "maximum size of 2"). */
  ERR_KEYRING_SITE_TOO_MANY_KEYS: 'more than two keys',
  /** Two keys of the object share a fingerprint. */
  ERR_KEYRING_SITE_DUPLICATE_FINGERPRINT: 'duplicate fingerprint',
  /** A key is not an object, or one of its fields is missing or ill-typed. */
  ERR_KEYRING_SITE_KEY_FIELD_INVALID: 'key field missing or ill-typed',
  /** A key's `valid_after` or `valid_until` is unreadable. */
  ERR_KEYRING_SITE_TIMESTAMP_INVALID: 'key timestamp unreadable',
  /** A key's `valid_until <= valid_after`. */
  ERR_KEYRING_SITE_VALIDITY_INVERTED: 'valid_until is not after valid_after',
  /** A fingerprint is already used by another site (DESIGN §2/§3: fingerprints are unique across sites). */
  ERR_KEYRING_FINGERPRINT_CONFLICT: 'fingerprint already used by another site',
  /** A stored record cannot be read back: malformed, or its values do not unwrap under the wrap key. */
  ERR_KEYRING_STORE_CORRUPT: 'stored site record unreadable',
  /** A concurrent writer kept changing the site record; the replace gave up (nothing was written). */
  ERR_KEYRING_STORE_CONTENDED: 'site record changed concurrently too often',
} as const;

/** A keyring error code (the keys of {@link KEYRING_ERROR_CODES}). */
export type KeyringErrorCode = keyof typeof KEYRING_ERROR_CODES;

/** The codes that mean "the whole site object is invalid" (DESIGN §2). */
export const SITE_INVALID_CODES: ReadonlySet<KeyringErrorCode> = new Set<KeyringErrorCode>([
  'ERR_KEYRING_SITE_NOT_OBJECT',
  'ERR_KEYRING_SITE_SECURITY_MISSING',
  'ERR_KEYRING_SITE_ENCRYPTION_INVALID',
  'ERR_KEYRING_SITE_KEYS_INVALID',
  'ERR_KEYRING_SITE_TOO_MANY_KEYS',
  'ERR_KEYRING_SITE_DUPLICATE_FINGERPRINT',
  'ERR_KEYRING_SITE_KEY_FIELD_INVALID',
  'ERR_KEYRING_SITE_TIMESTAMP_INVALID',
  'ERR_KEYRING_SITE_VALIDITY_INVERTED',
]);

/**
 * An error about untrusted input (a Portal answer, a stored record) or a refused store operation.
 * Programmer misuse throws `TypeError` instead (STYLE 4).
 */
export class KeyringError extends Error {
  /** The stable code; see {@link KEYRING_ERROR_CODES}. */
  readonly code: KeyringErrorCode;

  /**
   * @param code the stable code
   * @param detail extra context for operators, appended to the code's message; MUST NOT hold a key value
   * @param options `cause` of the error (e.g. the timestamp error behind a site error)
   */
  constructor(code: KeyringErrorCode, detail?: string, options?: { cause?: unknown }) {
    const base = KEYRING_ERROR_CODES[code];
    super(detail === undefined ? base : `${base}: ${detail}`, options);
    this.name = 'KeyringError';
    this.code = code;
  }
}

/** True when `error` is a {@link KeyringError} saying the whole site object is invalid. */
export function isSiteInvalidError(error: unknown): error is KeyringError {
  return error instanceof KeyringError && SITE_INVALID_CODES.has(error.code);
}

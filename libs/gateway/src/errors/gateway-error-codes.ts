/**
 * The one registry of `ERR_GATEWAY_…` codes (STYLE 4): every failure the gateway reports for untrusted
 * input or a failing dependency. Messages are fixed per code and never carry input, key material or
 * plaintext. Never reuse a retired code: add a new one. The wire answer of each code is fixed in ONE
 * place, `wire-answers.ts` (STYLE 5).
 */
export const GATEWAY_ERROR_CODES = Object.freeze({
  // errorCode 1 — "Incorrect security headers" (DESIGN §3)
  /** No `/sites/{id}/` prefix, no `sec-fingerprint` and no `DEFAULT_SITE_ID`. */
  ERR_GATEWAY_SITE_UNADDRESSED: 'The request addresses no site',
  /** `sec-fingerprint` missing, empty or not 1–128 visible ASCII characters. */
  ERR_GATEWAY_FINGERPRINT_MISSING: 'sec-fingerprint is missing or malformed',
  /** `sec-iv` missing or empty. */
  ERR_GATEWAY_IV_MISSING: 'sec-iv is missing',
  /** `sec-iv` not base64/base64url/hex, or not the suite's IV length. */
  ERR_GATEWAY_IV_INVALID: 'sec-iv is not decodable or has the wrong length',
  /** `sec-alg` names no suite, or one `ALE_SUITES` does not allow. */
  ERR_GATEWAY_ALG_UNSUPPORTED: 'sec-alg names a suite that is not allowed',
  /** `sec-timestamp` is not decimal milliseconds. */
  ERR_GATEWAY_TIMESTAMP_INVALID: 'sec-timestamp is not decimal milliseconds',
  /** `sec-timestamp` absent while the site's replay protection is on. */
  ERR_GATEWAY_TIMESTAMP_MISSING: 'sec-timestamp is required by replay protection',
  /** `authorization` absent while `ALE_REQUIRE_AUTHORIZATION=true`. */
  ERR_GATEWAY_AUTHORIZATION_MISSING: 'authorization is required',
  /** An encrypted request without a body (every request carries a ciphertext, DESIGN §3). */
  ERR_GATEWAY_BODY_MISSING: 'The request has no ciphertext body',

  // errorCode 2 — "Unable to decrypt payload": one answer for every cause (DESIGN §3)
  /** The fingerprint is unknown after the on-demand refresh. */
  ERR_GATEWAY_FINGERPRINT_UNKNOWN: 'Unknown key fingerprint',
  /** The ciphertext does not decode or decrypt (bad base64, tag, padding, key, IV or AAD). */
  ERR_GATEWAY_DECRYPT_FAILED: 'Unable to decrypt payload',
  /** CBC only: the plaintext is not UTF-8, or not JSON although the request says JSON. */
  ERR_GATEWAY_PLAINTEXT_INVALID: 'The decrypted payload failed the plaintext check',
  /** `sec-timestamp` outside ± the site's replay window. */
  ERR_GATEWAY_TIMESTAMP_OUT_OF_WINDOW: 'sec-timestamp is outside the replay window',
  /** The `(fingerprint, iv)` pair was already accepted within the window. */
  ERR_GATEWAY_REPLAYED: 'The (fingerprint, iv) pair was already used',

  // errorCode 3 — "Security credential mismatch"
  /** The key is known but outside `validAfter − skew ≤ now < validUntil + grace`. */
  ERR_GATEWAY_KEY_NOT_VALID: 'The key is outside its validity',
  /** The key belongs to another site than the one the path prefix addresses. */
  ERR_GATEWAY_SITE_MISMATCH: 'The key belongs to another site',

  // the gateway's own failures (plaintext JSON)
  /** Body over `ALE_MAX_BODY_BYTES` (declared or counted). */
  ERR_GATEWAY_BODY_TOO_LARGE: 'Request body over ALE_MAX_BODY_BYTES',
  /** The source address spent its `ALE_FAILURE_BUDGET` of decryption failures this minute. */
  ERR_GATEWAY_FAILURE_BUDGET_EXCEEDED: 'Too many decryption failures from this address',
  /** Replay protection is on and the replay store (Redis) cannot record the pair: fail closed. */
  ERR_GATEWAY_REPLAY_STORE_UNAVAILABLE: 'Replay store unavailable',
  /** The kitchen refused the connection, reset it, or is not configured. */
  ERR_GATEWAY_UPSTREAM_UNAVAILABLE: 'Kitchen unreachable',
  /** The kitchen sent no complete answer within `UPSTREAM_TIMEOUT_MS`. */
  ERR_GATEWAY_UPSTREAM_TIMEOUT: 'Kitchen timed out',
  /** The kitchen's answer is larger than the gateway buffers (`UPSTREAM_MAX_RESPONSE_BYTES`). */
  ERR_GATEWAY_UPSTREAM_RESPONSE_TOO_LARGE: 'Kitchen answer too large',
  /** A bug: an unexpected exception on the request path (logged with its stack, answered 500). */
  ERR_GATEWAY_INTERNAL: 'Internal error',

  // not answered on the wire
  /** Readiness: the key cache has not loaded yet (Redis unreachable since boot). */
  ERR_GATEWAY_KEYS_NOT_LOADED: 'Keys not loaded yet',
} as const);

/** One `ERR_GATEWAY_…` code. */
export type GatewayErrorCode = keyof typeof GATEWAY_ERROR_CODES;

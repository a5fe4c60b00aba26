/**
 * The one registry of `ERR_GATEWAY_…` codes (STYLE 4): every failure the gateway reports for untrusted
 * input or a failing dependency — on ALE over HTTP, on the ALE WebSocket and on the terminal relay — in
 * three sections, one per surface. Messages are fixed per code and never carry input (pinpad ids,
 * certificate fields), key material or plaintext. Never reuse a retired code: add a new one. The wire
 * answer of each code is fixed in ONE place, `wire-answers.ts` (STYLE 5).
 *
 * Each section is its own constant only so that a code's family is typed (`AleHttpCode`, `WsCode`,
 * `RelayCode`, with the guards below); `GATEWAY_ERROR_CODES` is the registry.
 */

// ─── ALE core and HTTP (DESIGN §3; answered by `WIRE_ANSWERS`) ───────────────────────────────────────
const ALE_HTTP_CODES = {
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
} as const;

// ─── ALE over WebSocket (DESIGN §4; answered by `wsCloseOf` / `upgradeRefusalOf`) ───────────────────
const WS_CODES = {
  /** A text message that is not a JSON envelope `{iv, fingerprint, message[, ts]}` (close 1007). */
  ERR_GATEWAY_WS_NOT_AN_ENVELOPE: 'Not an ALE envelope',
  /** A binary frame: ALE messages are JSON text (close 1003). */
  ERR_GATEWAY_WS_BINARY_FRAME: 'Binary frames are not accepted',
  /** A message over `ALE_WS_MAX_PAYLOAD_BYTES` (close 1009, sent by ws itself). */
  ERR_GATEWAY_WS_MESSAGE_TOO_LARGE: 'Message too large',
  /** The socket's queued bytes passed `ALE_WS_SEND_QUEUE_MAX_BYTES` (close 1013). */
  ERR_GATEWAY_WS_SLOW_CONSUMER: 'Slow consumer',
  /** No pong to the previous ping when the next was due (terminated, no close frame). */
  ERR_GATEWAY_WS_DEAD_PEER: 'No pong within the ping period',
  /** The site has no key that may encrypt now, so nothing can be sent to the client (close 1008). */
  ERR_GATEWAY_WS_NO_ENCRYPTION_KEY: 'No key may encrypt for this site now',
  /** The gateway is shutting down (close 1001 after draining). */
  ERR_GATEWAY_WS_SHUTTING_DOWN: 'Going away',
  /** An upgrade from an address that already holds `ALE_WS_MAX_CONNECTIONS_PER_IP` connections (HTTP 429). */
  ERR_GATEWAY_WS_TOO_MANY_CONNECTIONS: 'Too many connections from this address',
  /** An upgrade to `/ws` or `/sites/{id}/ws` whose site segment is not a valid site id (errorCode 1). */
  ERR_GATEWAY_WS_PATH_INVALID: 'The WebSocket path addresses no valid site',
} as const;

// ─── terminal relay (DESIGN §5; answered by `RELAY_REFUSALS`) ──────────────────────────────────────
const RELAY_CODES = {
  /** `x-vfi-pinpad-id` missing, repeated or not 1–128 visible ASCII characters (seed 002). */
  ERR_GATEWAY_TERMINAL_PINPAD_ID_INVALID: 'x-vfi-pinpad-id is missing or malformed',
  /** A terminal (`sci` subprotocol) on another path than `TERMINAL_PATH`. */
  ERR_GATEWAY_TERMINAL_PATH_UNKNOWN: 'Terminals connect on TERMINAL_PATH',
  /** A terminal on the plain HTTP port while terminal TLS is configured (it would bypass mutual TLS). */
  ERR_GATEWAY_TERMINAL_TLS_REQUIRED: 'Terminals must connect over TLS on TERMINAL_PORT',
  /** Mutual TLS is on and the connection carries no client certificate that verified against `TERMINAL_TLS_CA`. */
  ERR_GATEWAY_TERMINAL_CERT_INVALID: 'No valid client certificate',
  /** The client certificate names another terminal than `x-vfi-pinpad-id`. */
  ERR_GATEWAY_TERMINAL_IDENTITY_MISMATCH: 'The client certificate does not match the pinpad id',
  /** The certificate's site and `TERMINAL_SITES` disagree. */
  ERR_GATEWAY_TERMINAL_SITE_CONFLICT: 'The certificate and TERMINAL_SITES name different sites',
  /** Neither `TERMINAL_SITES` nor the certificate names the terminal's site. */
  ERR_GATEWAY_TERMINAL_UNMAPPED: 'The terminal is not mapped to a site',
  /** A POS route names a pinpad id that cannot exist (malformed): answered like an unknown route. */
  ERR_GATEWAY_RELAY_PINPAD_ID_INVALID: 'The route names no valid pinpad id',
  /** A POS route for a site with `encryption: false`: terminals are reachable only with ALE (DESIGN §5). */
  ERR_GATEWAY_RELAY_ALE_REQUIRED: 'Terminals are reachable only with ALE',
  /** A relay message between replicas that is not one of the documented shapes (logged, dropped). */
  ERR_GATEWAY_RELAY_MESSAGE_INVALID: 'Malformed relay message between replicas',
} as const;

/** code → fixed description (also the error's `message`): every section above. */
export const GATEWAY_ERROR_CODES = Object.freeze({ ...ALE_HTTP_CODES, ...WS_CODES, ...RELAY_CODES });

/** One `ERR_GATEWAY_…` code. */
export type GatewayErrorCode = keyof typeof GATEWAY_ERROR_CODES;
/** A code of the ALE core or the HTTP proxy (`ERR_GATEWAY_…` without `WS_`, `TERMINAL_` or `RELAY_`). */
export type AleHttpCode = keyof typeof ALE_HTTP_CODES;
/** A code of the ALE WebSocket (`ERR_GATEWAY_WS_…`). */
export type WsCode = keyof typeof WS_CODES;
/** A code of the terminal relay (`ERR_GATEWAY_TERMINAL_…`, `ERR_GATEWAY_RELAY_…`). */
export type RelayCode = keyof typeof RELAY_CODES;

/** True when `code` is one of the ALE core's or the HTTP proxy's. */
export function isAleHttpCode(code: string): code is AleHttpCode {
  return Object.hasOwn(ALE_HTTP_CODES, code);
}

/** True when `code` is one of the ALE WebSocket's. */
export function isWsCode(code: string): code is WsCode {
  return Object.hasOwn(WS_CODES, code);
}

/** True when `code` is one of the terminal relay's. */
export function isRelayCode(code: string): code is RelayCode {
  return Object.hasOwn(RELAY_CODES, code);
}

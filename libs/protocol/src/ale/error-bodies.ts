/**
 * Wire error bodies of the ALE gateway, pre-serialized so the error path allocates nothing and the
 * bytes can never drift (DESIGN §3; seed 000 "HTTP Request Errors").
 */

/** The seed's `errorCode`s. */
export type AleErrorCode = 1 | 2 | 3;

/** The `errorCode`s by name (frozen). */
export const ALE_ERROR_CODES = Object.freeze({
  /** Security header missing/empty/malformed, no body, `authorization` missing where required, no site. */
  INCORRECT_SECURITY_HEADERS: 1,
  /** Unknown fingerprint, decryption or plaintext check failed, timestamp out of window, IV replayed. */
  UNABLE_TO_DECRYPT: 2,
  /** Known key outside its validity, or a key of another site than the one addressed. */
  CREDENTIAL_MISMATCH: 3,
} as const satisfies Record<string, AleErrorCode>);

/** HTTP status of every ALE error (seed 000). */
export const ALE_ERROR_STATUS = 400;

/** Content type of every ALE and gateway error body. */
export const ALE_ERROR_CONTENT_TYPE = 'application/json';

/** errorCode → exact JSON body, e.g. `{"errorCode":1,"message":"Incorrect security headers"}`. */
export const ALE_ERROR_BODIES: Readonly<Record<AleErrorCode, string>> = Object.freeze({
  1: JSON.stringify({ errorCode: 1, message: 'Incorrect security headers' }),
  2: JSON.stringify({ errorCode: 2, message: 'Unable to decrypt payload' }),
  3: JSON.stringify({ errorCode: 3, message: 'Security credential mismatch' }),
});

/** One of the gateway's own failures (not ALE's): status and plaintext JSON body. */
export interface GatewayErrorBody {
  /** HTTP status. */
  readonly status: number;
  /** Exact JSON body, e.g. `{"error":"upstream_timeout"}`. */
  readonly body: string;
}

function gatewayError(status: number, error: string): GatewayErrorBody {
  return Object.freeze({ status, body: JSON.stringify({ error }) });
}

/** The gateway's own failures (DESIGN §3 "Forwarding"), by their `error` value (frozen). */
export const GATEWAY_ERROR_BODIES = Object.freeze({
  /** The kitchen could not be reached. */
  upstream_unavailable: gatewayError(502, 'upstream_unavailable'),
  /** The kitchen did not answer within `UPSTREAM_TIMEOUT_MS`. */
  upstream_timeout: gatewayError(504, 'upstream_timeout'),
  /** The request body is over `ALE_MAX_BODY_BYTES`. */
  payload_too_large: gatewayError(413, 'payload_too_large'),
  /** The source address spent its `ALE_FAILURE_BUDGET` of decryption failures. */
  too_many_failures: gatewayError(429, 'too_many_failures'),
});

/** A key of {@link GATEWAY_ERROR_BODIES}. */
export type GatewayErrorName = keyof typeof GATEWAY_ERROR_BODIES;

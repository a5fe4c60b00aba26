/**
 * ALE security header names (DESIGN §3/§4, seed 000), lower-case as Node presents incoming headers.
 * On the WebSocket upgrade the same names are also accepted as query parameters (browsers cannot
 * set headers, DESIGN §4).
 */
export const ALE_HEADERS = Object.freeze({
  /** Identifies the key (required on encrypted requests). */
  fingerprint: 'sec-fingerprint',
  /** The IV: base64 on output; base64, base64url or hex on input (required). */
  iv: 'sec-iv',
  /** Decimal milliseconds since the epoch; bound into the GCM AAD; required with replay protection. */
  timestamp: 'sec-timestamp',
  /** Names the cipher suite; absent = the first of `ALE_SUITES`. */
  alg: 'sec-alg',
  /** On encrypted responses: the kitchen's original content type. */
  contentType: 'sec-content-type',
} as const);

/** One of the {@link ALE_HEADERS} names. */
export type AleHeaderName = (typeof ALE_HEADERS)[keyof typeof ALE_HEADERS];

/** Prefix of every ALE header: stripped before forwarding to the kitchen (DESIGN §3). */
export const ALE_HEADER_PREFIX = 'sec-';

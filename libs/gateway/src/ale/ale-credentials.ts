import { isAleSuiteName, isCryptoError, parseAleIv, type AleSuiteName } from '@pos-link/crypto';
import { isValidFingerprint } from '@pos-link/keyring';
import { isAleTimestamp } from '@pos-link/protocol';
import { GatewayError } from '../errors/gateway-error';

/**
 * The security fields as received: `sec-*` headers of an HTTP request or a WebSocket upgrade (or its query
 * parameters), or a WebSocket envelope's fields. Empty strings count as absent.
 */
export interface RawAleCredentials {
  readonly fingerprint: string | undefined;
  readonly iv: string | undefined;
  readonly timestamp: string | undefined;
  readonly alg: string | undefined;
}

/** The security fields, checked for form (errorCode 1 rules of DESIGN §3). */
export interface AleCredentials {
  readonly fingerprint: string;
  /** The suite: `sec-alg`, or the first of `ALE_SUITES`. */
  readonly suite: AleSuiteName;
  /** The IV's bytes (of the suite's length). */
  readonly iv: Buffer;
  /** The timestamp text exactly as sent (bound into the AAD), or undefined. */
  readonly timestamp: string | undefined;
  /** The timestamp in ms since the epoch, or undefined. */
  readonly timestampMs: number | undefined;
}

function present(value: string | undefined): value is string {
  return value !== undefined && value !== '';
}

/**
 * Checks the form of the security fields, in a fixed order: fingerprint, IV present, suite, IV decodable,
 * timestamp. Nothing here looks at keys.
 *
 * @param raw the fields as received
 * @param suites the allowed suites (`ALE_SUITES`), the first being the default
 * @throws GatewayError with an errorCode 1 code: `ERR_GATEWAY_FINGERPRINT_MISSING`, `ERR_GATEWAY_IV_MISSING`,
 *   `ERR_GATEWAY_ALG_UNSUPPORTED`, `ERR_GATEWAY_IV_INVALID`, `ERR_GATEWAY_TIMESTAMP_INVALID`
 */
export function parseAleCredentials(raw: RawAleCredentials, suites: readonly AleSuiteName[]): AleCredentials {
  if (!isValidFingerprint(raw.fingerprint)) throw new GatewayError('ERR_GATEWAY_FINGERPRINT_MISSING');
  if (!present(raw.iv)) throw new GatewayError('ERR_GATEWAY_IV_MISSING');
  const suite = present(raw.alg) ? raw.alg : suites[0];
  if (suite === undefined || !isAleSuiteName(suite) || !suites.includes(suite)) throw new GatewayError('ERR_GATEWAY_ALG_UNSUPPORTED');
  let iv: Buffer;
  try {
    iv = parseAleIv(suite, raw.iv);
  } catch (error) {
    if (isCryptoError(error, 'ERR_CRYPTO_IV_INVALID')) throw new GatewayError('ERR_GATEWAY_IV_INVALID');
    throw error;
  }
  let timestampMs: number | undefined;
  if (present(raw.timestamp)) {
    if (!isAleTimestamp(raw.timestamp)) throw new GatewayError('ERR_GATEWAY_TIMESTAMP_INVALID');
    timestampMs = Number(raw.timestamp);
  }
  return {
    fingerprint: raw.fingerprint,
    suite,
    iv,
    timestamp: timestampMs === undefined ? undefined : raw.timestamp,
    timestampMs,
  };
}

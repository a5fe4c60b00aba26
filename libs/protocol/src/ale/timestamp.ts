/**
 * ALE timestamps (DESIGN §3): decimal milliseconds since the epoch, in `sec-timestamp` or the
 * WebSocket envelope's `ts`. The text as sent is what goes into the AAD; the number is for the
 * replay window.
 */
import { ProtocolError } from '../errors';

/** Decimal digits only, at most 16 (every value up to Number.MAX_SAFE_INTEGER fits). */
const DECIMAL_MS = /^[0-9]{1,16}$/;

/** True when `text` is a well-formed ALE timestamp (digits only, a safe integer). */
export function isAleTimestamp(text: string): boolean {
  return DECIMAL_MS.test(text) && Number.isSafeInteger(Number(text));
}

/**
 * Reads a timestamp.
 * @returns milliseconds since the epoch
 * @throws ProtocolError `ERR_ALE_TIMESTAMP_INVALID` for anything but decimal digits (no sign, space,
 *   point or exponent) or a value above Number.MAX_SAFE_INTEGER
 */
export function parseAleTimestamp(text: string): number {
  if (typeof text !== 'string' || !isAleTimestamp(text)) throw new ProtocolError('ERR_ALE_TIMESTAMP_INVALID');
  return Number(text);
}

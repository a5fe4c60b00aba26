import { createHash } from 'node:crypto';
import { assertString } from './assert';

/**
 * The ALE key of a Portal key value: **K = SHA-256(UTF-8(value))**, 32 bytes, for every suite
 * (DESIGN §2). The value is a pass phrase of any length, so it is hashed, never used as is.
 *
 * Derive once per fingerprint and cache the result (the gateway's key cache does): a hash costs
 * ≈ 1.4 µs. A `KeyObject` form is deliberately not offered: measured on Node 20, sealing 1 KiB with
 * AES-256-GCM took the same time with a `Buffer` key and with a `KeyObject` (≈ 7.2 µs each).
 *
 * @param value the key's `value` field from the site object
 * @returns a fresh 32-byte Buffer; treat it as secret (never log it)
 */
export function deriveAleKey(value: string): Buffer {
  assertString(value, 'value');
  return createHash('sha256').update(value, 'utf8').digest();
}

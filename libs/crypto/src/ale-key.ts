import { createHash, createSecretKey, type KeyObject } from 'node:crypto';
import { assertKey256, assertString } from './assert';

/**
 * The ALE key of a Portal key value: **K = SHA-256(UTF-8(value))**, 32 bytes, for every suite
 * (DESIGN §2). The value is a pass phrase of any length, so it is hashed, never used as is.
 *
 * Derive once per fingerprint and cache the result as a `KeyObject` ({@link toAesKeyObject}; the
 * gateway's key cache does): a hash costs ≈ 1.4 µs, and on Node 24 every cipher call with a `Buffer`
 * key pays 15–25 µs for an internal key conversion that a `KeyObject` skips (measured on Node 24.21:
 * AES-256-GCM over 1 KiB 21–30 µs with a Buffer, 4–7 µs with a KeyObject; Node 20: equal).
 *
 * @param value the key's `value` field from the site object
 * @returns a fresh 32-byte Buffer; treat it as secret (never log it)
 */
export function deriveAleKey(value: string): Buffer {
  assertString(value, 'value');
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Wraps 32 key bytes (an ALE key, a DEK) in a secret `KeyObject`, the form every cipher function here
 * accepts fastest. The bytes are copied; zero the Buffer afterwards if it is no longer needed.
 *
 * @throws TypeError when `key` is not 32 bytes
 */
export function toAesKeyObject(key: Buffer | KeyObject): KeyObject {
  assertKey256(key, 'key');
  return key instanceof Uint8Array ? createSecretKey(key) : key;
}

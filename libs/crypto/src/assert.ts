/**
 * Argument checks at the public entry points (STYLE 3). Everything here throws `TypeError`: these are
 * programmer errors, never reactions to untrusted input (that is {@link CryptoError}'s job).
 */

import { KeyObject } from 'node:crypto';

/**
 * An AES-256 key: its 32 bytes, or a secret `KeyObject` made from them ({@link toAesKeyObject}).
 * Prefer the `KeyObject` for keys used more than once: on Node 24 `createCipheriv` with a `Buffer` key
 * costs 15–25 µs more per call than with a `KeyObject` (it tries, fails and retries an internal key
 * conversion); on Node 20 both cost the same.
 */
export type AesKey = Buffer | KeyObject;

/** AES-256 keys (ALE keys, DEKs, the wrap key) are exactly this long. */
export const AES_256_KEY_BYTES = 32;

export function assertBytes(value: unknown, name: string): asserts value is Buffer {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`${name} must be a Buffer`);
  }
}

export function assertKey256(value: unknown, name: string): asserts value is AesKey {
  if (value instanceof KeyObject) {
    if (value.type !== 'secret' || value.symmetricKeySize !== AES_256_KEY_BYTES) {
      throw new TypeError(`${name} must be a ${AES_256_KEY_BYTES}-byte secret KeyObject`);
    }
    return;
  }
  assertBytes(value, name);
  if (value.length !== AES_256_KEY_BYTES) {
    throw new TypeError(`${name} must be ${AES_256_KEY_BYTES} bytes`);
  }
}

export function assertOptionalBytes(value: unknown, name: string): asserts value is Buffer | undefined {
  if (value !== undefined) assertBytes(value, name);
}

export function assertString(value: unknown, name: string): asserts value is string {
  if (typeof value !== 'string') {
    throw new TypeError(`${name} must be a string`);
  }
}

export function assertNonEmptyString(value: unknown, name: string): asserts value is string {
  assertString(value, name);
  if (value.length === 0) {
    throw new TypeError(`${name} must not be empty`);
  }
}

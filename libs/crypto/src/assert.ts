/**
 * Argument checks at the public entry points (STYLE 3). Everything here throws `TypeError`: these are
 * programmer errors, never reactions to untrusted input (that is {@link CryptoError}'s job).
 */

/** AES-256 keys (ALE keys, DEKs, the wrap key) are exactly this long. */
export const AES_256_KEY_BYTES = 32;

export function assertBytes(value: unknown, name: string): asserts value is Buffer {
  if (!(value instanceof Uint8Array)) {
    throw new TypeError(`${name} must be a Buffer`);
  }
}

export function assertKey256(value: unknown, name: string): asserts value is Buffer {
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

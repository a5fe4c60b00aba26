/**
 * Error registry of `@pos-link/crypto` (STYLE 4).
 *
 * Two families: `TypeError` for programmer misuse (wrong argument types, unknown suite names, keys of
 * the wrong size), and {@link CryptoError} with a stable string `code` for untrusted input that fails.
 * Codes are never reused once retired; the README's error table mirrors {@link CRYPTO_ERROR_CODES}.
 *
 * Messages are fixed per code: they never carry key material, plaintext, ciphertext or the reason a
 * decryption failed (DESIGN §3: one answer for every cause).
 */

/** Every code a {@link CryptoError} can carry. */
export type CryptoErrorCode =
  | 'ERR_CRYPTO_DECRYPT_FAILED'
  | 'ERR_CRYPTO_IV_INVALID'
  | 'ERR_CRYPTO_RSA_KEY_INVALID'
  | 'ERR_CRYPTO_RSA_KEY_TOO_SMALL'
  | 'ERR_CRYPTO_UNWRAP_FAILED';

/** code → description; the description is also the error's `message`. */
export const CRYPTO_ERROR_CODES: Readonly<Record<CryptoErrorCode, string>> = Object.freeze({
  ERR_CRYPTO_DECRYPT_FAILED: 'Unable to decrypt',
  ERR_CRYPTO_IV_INVALID: 'Initialization vector is not decodable or has the wrong length',
  ERR_CRYPTO_RSA_KEY_INVALID: 'Not an RSA public key in a supported encoding',
  ERR_CRYPTO_RSA_KEY_TOO_SMALL: 'RSA modulus is shorter than 2048 bits',
  ERR_CRYPTO_UNWRAP_FAILED: 'Unable to unwrap secret',
});

/** Failure caused by untrusted input; branch on `code`, never on `message`. */
export class CryptoError extends Error {
  /** Stable, documented identifier of the failure. */
  readonly code: CryptoErrorCode;

  /** @param code a registered code; the message is the registry's fixed description */
  constructor(code: CryptoErrorCode) {
    super(CRYPTO_ERROR_CODES[code]);
    this.name = 'CryptoError';
    this.code = code;
  }
}

/** True when `value` is a {@link CryptoError}, optionally with the given `code`. */
export function isCryptoError(value: unknown, code?: CryptoErrorCode): value is CryptoError {
  return value instanceof CryptoError && (code === undefined || value.code === code);
}

import { SYMMETRIC_SUITE_NAMES, isSymmetricSuiteName } from './symmetric-suites';
import type { SymmetricSuiteName } from './symmetric-suite';

/**
 * An ALE cipher suite (DESIGN §3): the value of `sec-alg` and of `ALE_SUITES` entries.
 *
 * | suite | IV | AAD | ciphertext |
 * |---|---|---|---|
 * | `aes-256-gcm` | 12 bytes | fingerprint[.timestamp] | ct ‖ 16-byte tag |
 * | `aes-256-cbc` | 16 bytes | none | ct, PKCS#7 |
 */
export type AleSuiteName = SymmetricSuiteName;

/** Every ALE suite, the default (`aes-256-gcm`) first. */
export const ALE_SUITE_NAMES: readonly AleSuiteName[] = SYMMETRIC_SUITE_NAMES;

/** Narrows untrusted text (a `sec-alg` header, a config entry) to a suite name. */
export function isAleSuiteName(value: unknown): value is AleSuiteName {
  return isSymmetricSuiteName(value);
}

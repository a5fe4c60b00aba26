/**
 * The shape of a symmetric cipher suite. ALE (DESIGN §3) and the PES session cipher (DESIGN §6) use the
 * same two suites, so both read one descriptor table ({@link SYMMETRIC_SUITES}); nothing outside the
 * descriptors looks at a suite's name to decide what to do (STYLE 3, after jose's algorithm tables).
 */
import type { AesKey } from './assert';

/** Names shared by the ALE suites and the PES session ciphers. */
export type SymmetricSuiteName = 'aes-256-gcm' | 'aes-256-cbc';

/** What a suite is and how it seals and opens. "Sealed" means the ciphertext plus its tag, if any. */
export interface SymmetricSuite {
  readonly name: SymmetricSuiteName;
  /** IV length in bytes. */
  readonly ivBytes: number;
  /** Authentication tag length in bytes, appended to the ciphertext; 0 for an unauthenticated suite. */
  readonly tagBytes: number;
  /** Whether additional authenticated data is bound; when false, AAD arguments are ignored. */
  readonly bindsAad: boolean;
  /** Shortest sealed message (the empty plaintext's). */
  readonly minSealedBytes: number;
  /** A sealed message's length is a multiple of this. */
  readonly sealedMultipleOf: number;
  /** Encrypts; returns ciphertext ‖ tag. Arguments are already validated. */
  seal(key: AesKey, iv: Buffer, plaintext: Buffer, aad: Buffer | undefined): Buffer;
  /**
   * Decrypts `sealed` (whose length {@link acceptsSealedLength} accepts); `undefined` when it does not
   * authenticate or unpad. Never throws for bad data, and does no less work for it (no early return on
   * a secret-dependent condition).
   */
  open(key: AesKey, iv: Buffer, sealed: Buffer, aad: Buffer | undefined): Buffer | undefined;
}

/** Whether `length` bytes can be a sealed message of `suite` (public information: no timing concern). */
export function acceptsSealedLength(suite: SymmetricSuite, length: number): boolean {
  return length >= suite.minSealedBytes && length % suite.sealedMultipleOf === 0;
}

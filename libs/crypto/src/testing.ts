/**
 * `@pos-link/crypto/testing`: fixtures for tests of this and other libs (STYLE 2, 11). Not part of the
 * production build.
 *
 * The known-answer vectors come from an independent implementation (Python `cryptography` on OpenSSL);
 * `testing/vectors.json` is a verbatim copy of `shared/vectors/vectors.json`, kept here so the
 * repository is self-contained.
 */
import { CryptoError } from './errors';
import vectorsJson from './testing/vectors.json';

/** One ALE known answer: `ciphertext` = aleEncrypt(suite, SHA-256(keyValue), iv, plaintext, aad). */
export interface AleVector {
  readonly suite: 'aes-256-gcm' | 'aes-256-cbc';
  /** The Portal key `value`; the key is its SHA-256. */
  readonly keyValue: string;
  readonly fingerprint: string;
  /** `sec-timestamp`, bound into the AAD when not null. */
  readonly timestamp: string | null;
  /** The IV in base64. */
  readonly iv: string;
  /** The same IV in hex. */
  readonly ivHex: string;
  /** The AAD as text; null for suites without AAD. */
  readonly aad: string | null;
  /** The plaintext in base64 (it may be binary or empty). */
  readonly plaintextB64: string;
  /** base64 of ciphertext ‖ tag. */
  readonly ciphertext: string;
}

/** An ALE input that must fail with `ERR_CRYPTO_DECRYPT_FAILED`; `why` says what was changed. */
export interface AleMustFailVector extends AleVector {
  readonly why: string;
}

/** One PES session message, encrypted under the shared DEK with both ciphers. */
export interface PesMessageVector {
  readonly msg_type: string;
  readonly msg_id: string;
  readonly msg_resp: string | null;
  readonly aad: string;
  readonly plaintext: string;
  /** base64(IV(12) ‖ ct ‖ tag). */
  readonly gcm: string;
  /** base64(IV(16) ‖ ct). */
  readonly cbc: string;
}

/** A `register_client` `msg_data` under AES-256-GCM, for both OAEP hashes. */
export interface RegisterClientVector {
  readonly msg_id: string;
  readonly aad: string;
  readonly publicKeyPem: string;
  readonly privateKeyPem: string;
  /** The credentials JSON text. */
  readonly credentials: string;
  readonly msg_data_oaep_sha256: string;
  readonly msg_data_oaep_sha1: string;
}

/** The seed's 129-byte PES frame (seed 003). */
export interface FrameVector {
  readonly json: string;
  /** The whole frame (little-endian length prefix and JSON) in hex. */
  readonly hex: string;
}

/** Every vector set. */
export interface Vectors {
  readonly about: string;
  readonly ale: readonly AleVector[];
  readonly aleMustFail: readonly AleMustFailVector[];
  readonly pes: {
    /** The DEK of `messages`, base64. */
    readonly dekB64: string;
    readonly messages: readonly PesMessageVector[];
    readonly registerClient: RegisterClientVector;
    readonly frame: FrameVector;
  };
}

/** Returns the known-answer vectors: a fresh deep copy per call, so no test can change another's. */
export function loadVectors(): Vectors {
  return structuredClone(vectorsJson as Vectors);
}

/**
 * Runs `fn` and returns the {@link CryptoError} it throws, so a test can assert on `code` (STYLE 11).
 * Throws if `fn` returns normally or throws anything else.
 */
export function captureCryptoError(fn: () => unknown): CryptoError {
  try {
    fn();
  } catch (error) {
    if (error instanceof CryptoError) return error;
    throw error;
  }
  throw new Error('expected a CryptoError, but nothing was thrown');
}

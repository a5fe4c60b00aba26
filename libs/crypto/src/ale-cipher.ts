import { assertBytes, assertKey256, assertNonEmptyString, assertOptionalBytes, type AesKey } from './assert';
import { decodeBase64Text, encodeBase64 } from './base64';
import { CryptoError } from './errors';
import { openUniformly, symmetricSuite } from './symmetric-suites';
import type { SymmetricSuite } from './symmetric-suite';
import type { AleSuiteName } from './ale-suite';

/**
 * The ALE additional authenticated data (DESIGN §3): UTF-8 of `fingerprint`, or of
 * `fingerprint + "." + timestamp` when the request carries a timestamp (`sec-timestamp`, or an
 * envelope's `ts` written as its decimal digits). Suites that bind no AAD (CBC) ignore it, so callers
 * compute it the same way for every suite.
 *
 * @param timestamp decimal milliseconds since the epoch, exactly as received; `undefined`/`null` = none
 */
export function aleAad(fingerprint: string, timestamp?: string | null): Buffer {
  assertNonEmptyString(fingerprint, 'fingerprint');
  if (timestamp === undefined || timestamp === null) {
    return Buffer.from(fingerprint, 'utf8');
  }
  assertNonEmptyString(timestamp, 'timestamp');
  return Buffer.from(`${fingerprint}.${timestamp}`, 'utf8');
}

function checkedSuite(suite: AleSuiteName, key: AesKey, iv: Buffer, aad: Buffer | undefined): SymmetricSuite {
  const descriptor = symmetricSuite(suite, 'suite');
  assertKey256(key, 'key');
  assertBytes(iv, 'iv');
  if (iv.length !== descriptor.ivBytes) {
    throw new TypeError(`iv must be ${descriptor.ivBytes} bytes for ${descriptor.name}`);
  }
  assertOptionalBytes(aad, 'aad');
  return descriptor;
}

/**
 * Encrypts an ALE payload: returns base64 of ciphertext ‖ tag (GCM) or of the PKCS#7-padded ciphertext
 * (CBC). The empty plaintext is encrypted too (under GCM it becomes the bare 16-byte tag), so every
 * message proves possession of the key.
 *
 * @param key the ALE key ({@link deriveAleKey}; cache it as a `KeyObject` via {@link toAesKeyObject} when reused)
 * @param iv a fresh IV of the suite's length ({@link generateAleIv}); never reuse one with the same key
 * @param aad {@link aleAad}; ignored by suites that bind none
 * @throws TypeError on misuse (unknown suite, key not 32 bytes, IV of the wrong length)
 */
export function aleEncrypt(suite: AleSuiteName, key: AesKey, iv: Buffer, plaintext: Buffer, aad?: Buffer): string {
  const descriptor = checkedSuite(suite, key, iv, aad);
  assertBytes(plaintext, 'plaintext');
  return encodeBase64(descriptor.seal(key, iv, plaintext, descriptor.bindsAad ? aad : undefined));
}

/**
 * Decrypts an ALE payload.
 *
 * @param ciphertext base64 text as received (standard or url alphabet, padding optional, surrounding
 *   ASCII whitespace ignored; any other character fails), or the already-decoded bytes
 *   (ciphertext ‖ tag). A JSON string literal around the text is the caller's to remove.
 * @param aad {@link aleAad}; ignored by suites that bind none
 * @returns the plaintext. Under CBC it is unauthenticated: check it ({@link isWellFormedUtf8}) before use.
 * @throws CryptoError `ERR_CRYPTO_DECRYPT_FAILED` for every failure — bad base64, a short or wrong tag,
 *   bad padding, a wrong key, AAD or IV — with one fixed message. Every failure runs the cipher over
 *   input of the received size first, so the causes cannot be told apart by avoidable timing
 *   differences (see `openUniformly` and the README).
 * @throws TypeError on misuse (unknown suite, key not 32 bytes, IV of the wrong length)
 */
export function aleDecrypt(
  suite: AleSuiteName,
  key: AesKey,
  iv: Buffer,
  ciphertext: string | Buffer,
  aad?: Buffer,
): Buffer {
  const descriptor = checkedSuite(suite, key, iv, aad);
  let sealed: Buffer | undefined;
  if (typeof ciphertext === 'string') {
    sealed = decodeBase64Text(ciphertext, 'ignore');
  } else {
    assertBytes(ciphertext, 'ciphertext');
    sealed = ciphertext;
  }
  const plaintext = openUniformly(descriptor, key, iv, sealed, ciphertext, aad);
  if (plaintext === undefined) throw new CryptoError('ERR_CRYPTO_DECRYPT_FAILED');
  return plaintext;
}

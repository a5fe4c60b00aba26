import { randomBytes } from 'node:crypto';
import { AES_256_KEY_BYTES, assertBytes, assertKey256, assertString, type AesKey } from './assert';
import { decodeBase64Text, encodeBase64 } from './base64';
import { CryptoError } from './errors';
import { SYMMETRIC_SUITE_NAMES, isSymmetricSuiteName, openUniformly, symmetricSuite } from './symmetric-suites';
import type { SymmetricSuiteName } from './symmetric-suite';

/**
 * The PES session cipher (DESIGN §6, `PES_CIPHER`; no negotiation): `aes-256-gcm` by default,
 * `aes-256-cbc` for compatibility. Same descriptors as the ALE suites.
 */
export type PesCipherName = SymmetricSuiteName;

/** Every PES session cipher, the default first. */
export const PES_CIPHER_NAMES: readonly PesCipherName[] = SYMMETRIC_SUITE_NAMES;

/** Narrows untrusted text (a config value) to a cipher name. */
export function isPesCipherName(value: unknown): value is PesCipherName {
  return isSymmetricSuiteName(value);
}

/** A fresh 32-byte data encryption key: one per PES connection (seed 003). */
export function generateDek(): Buffer {
  return randomBytes(AES_256_KEY_BYTES);
}

/**
 * The PES AAD: UTF-8 of `msg_type + "." + msg_id + "." + (msg_resp or "")` (DESIGN §6). Binding the
 * envelope's routing fields stops a `msg_data` being replayed under another type, id or ack/nack.
 */
export function pesAad(msgType: string, msgId: string, msgResp?: string | null): Buffer {
  assertString(msgType, 'msgType');
  assertString(msgId, 'msgId');
  if (msgResp !== undefined && msgResp !== null) assertString(msgResp, 'msgResp');
  return Buffer.from(`${msgType}.${msgId}.${msgResp ?? ''}`, 'utf8');
}

/**
 * Encrypts a PES `msg_data`: base64(IV(12) ‖ ct ‖ tag) under GCM, base64(IV(16) ‖ ct) under CBC.
 *
 * @param aad {@link pesAad}; ignored by CBC
 * @param iv only for known-answer tests; by default a fresh random IV (never reuse one under a DEK)
 * @throws TypeError on misuse (unknown cipher, DEK not 32 bytes, IV of the wrong length)
 */
export function pesEncrypt(cipher: PesCipherName, dek: AesKey, aad: Buffer, plaintext: Buffer, iv?: Buffer): string {
  const suite = symmetricSuite(cipher, 'cipher');
  assertKey256(dek, 'dek');
  assertBytes(aad, 'aad');
  assertBytes(plaintext, 'plaintext');
  let nonce: Buffer;
  if (iv === undefined) {
    nonce = randomBytes(suite.ivBytes);
  } else {
    assertBytes(iv, 'iv');
    if (iv.length !== suite.ivBytes) throw new TypeError(`iv must be ${suite.ivBytes} bytes for ${suite.name}`);
    nonce = iv;
  }
  const sealed = suite.seal(dek, nonce, plaintext, suite.bindsAad ? aad : undefined);
  return encodeBase64(Buffer.concat([nonce, sealed]));
}

/**
 * Decrypts a PES `msg_data` (base64 as in {@link pesEncrypt}; url alphabet, missing padding and
 * surrounding whitespace are tolerated, other characters are not).
 *
 * @throws CryptoError `ERR_CRYPTO_DECRYPT_FAILED` for every failure, each after comparable work
 * @throws TypeError on misuse (unknown cipher, DEK not 32 bytes)
 */
export function pesDecrypt(cipher: PesCipherName, dek: AesKey, aad: Buffer, msgData: string): Buffer {
  const suite = symmetricSuite(cipher, 'cipher');
  assertKey256(dek, 'dek');
  assertBytes(aad, 'aad');
  assertString(msgData, 'msgData');
  const bytes = decodeBase64Text(msgData, 'ignore');
  const whole = bytes !== undefined && bytes.length >= suite.ivBytes;
  const iv = whole ? bytes.subarray(0, suite.ivBytes) : Buffer.alloc(suite.ivBytes);
  const sealed = whole ? bytes.subarray(suite.ivBytes) : undefined;
  const plaintext = openUniformly(suite, dek, iv, sealed, msgData, aad);
  if (plaintext === undefined) throw new CryptoError('ERR_CRYPTO_DECRYPT_FAILED');
  return plaintext;
}

import { hkdfSync, randomBytes } from 'node:crypto';
import { AES_256_GCM } from './aes-256-gcm';
import { AES_256_KEY_BYTES, assertKey256, assertNonEmptyString, assertString } from './assert';
import { decodeBase64Text } from './base64';
import { CryptoError } from './errors';

/** `KEY_WRAP_SECRET` must be at least this long (DESIGN §8). */
export const WRAP_SECRET_MIN_CHARS = 32;

/**
 * HKDF-SHA256 parameters for the wrap key. The info string names the purpose and version so the same
 * secret can never yield this key for anything else; changing it would orphan every wrapped value.
 * The salt is empty (RFC 5869 §3.1: optional; the secret is already high-entropy by its length rule).
 */
const WRAP_KEY_INFO = 'pos-link key-wrap v1 aes-256-gcm';
const WRAP_KEY_SALT = Buffer.alloc(0);

const VERSION = 'v1';
const SUITE = AES_256_GCM;

function unwrapFailed(): CryptoError {
  return new CryptoError('ERR_CRYPTO_UNWRAP_FAILED');
}

/**
 * Derives the key that wraps key values at rest from `KEY_WRAP_SECRET` (DESIGN §2):
 * HKDF-SHA256(ikm = UTF-8(secret), salt = empty, info = "pos-link key-wrap v1 aes-256-gcm"), 32 bytes.
 *
 * @throws TypeError when `secret` is not a string of at least 32 characters
 */
export function deriveWrapKey(secret: string): Buffer {
  assertString(secret, 'secret');
  if (secret.length < WRAP_SECRET_MIN_CHARS) {
    throw new TypeError(`secret must be at least ${WRAP_SECRET_MIN_CHARS} characters`);
  }
  return Buffer.from(hkdfSync('sha256', Buffer.from(secret, 'utf8'), WRAP_KEY_SALT, WRAP_KEY_INFO, AES_256_KEY_BYTES));
}

/**
 * Wraps a secret for storage: AES-256-GCM under the wrap key with a random 96-bit IV and
 * AAD = UTF-8(context), written `v1.<base64url IV>.<base64url ciphertext ‖ tag>` (no padding).
 *
 * Choose `context` so that it names where the value belongs (e.g. `site:42/key:<fingerprint>`): a wrapped
 * value copied to another site's or key's slot then fails to unwrap instead of being served there.
 *
 * @throws TypeError on misuse (wrap key not 32 bytes, plaintext not a string, context empty)
 */
export function wrapSecret(wrapKey: Buffer, plaintext: string, context: string): string {
  assertKey256(wrapKey, 'wrapKey');
  assertString(plaintext, 'plaintext');
  assertNonEmptyString(context, 'context');
  const iv = randomBytes(SUITE.ivBytes);
  const bytes = Buffer.from(plaintext, 'utf8');
  const sealed = SUITE.seal(wrapKey, iv, bytes, Buffer.from(context, 'utf8'));
  bytes.fill(0);
  return `${VERSION}.${iv.toString('base64url')}.${sealed.toString('base64url')}`;
}

/**
 * Unwraps a value made by {@link wrapSecret} with the same wrap key and context.
 *
 * @throws CryptoError `ERR_CRYPTO_UNWRAP_FAILED` when the text is malformed, of an unknown version,
 *   tampered with, or wrapped under another key or context
 * @throws TypeError on misuse (wrap key not 32 bytes, arguments not strings, context empty)
 */
export function unwrapSecret(wrapKey: Buffer, wrapped: string, context: string): string {
  assertKey256(wrapKey, 'wrapKey');
  assertString(wrapped, 'wrapped');
  assertNonEmptyString(context, 'context');
  const parts = wrapped.split('.');
  if (parts.length !== 3 || parts[0] !== VERSION) throw unwrapFailed();
  const iv = decodeBase64Text(parts[1], 'refuse');
  const sealed = decodeBase64Text(parts[2], 'refuse');
  if (iv === undefined || iv.length !== SUITE.ivBytes || sealed === undefined || sealed.length < SUITE.minSealedBytes) {
    throw unwrapFailed();
  }
  const plaintext = SUITE.open(wrapKey, iv, sealed, Buffer.from(context, 'utf8'));
  if (plaintext === undefined) throw unwrapFailed();
  const text = plaintext.toString('utf8');
  plaintext.fill(0);
  return text;
}

import { KeyObject, constants, createSecretKey, privateDecrypt, publicEncrypt, randomBytes } from 'node:crypto';
import { AES_256_KEY_BYTES, assertBytes, assertKey256, assertString } from './assert';
import { decodeBase64Text, encodeBase64 } from './base64';
import { CryptoError } from './errors';
import { isOaepHash, rsaModulusBytes, type OaepHash } from './rsa-key';
import { acceptsSealedLength } from './symmetric-suite';
import { symmetricSuite } from './symmetric-suites';
import type { PesCipherName } from './pes-cipher';
import { withoutStackTraces } from './without-stack-traces';

/** Inputs of {@link buildRegisterClient}. */
export interface BuildRegisterClientOptions {
  /** The POS's RSA public key from `init_client` ({@link importRsaPublicKey}). */
  readonly publicKey: KeyObject;
  /** The connection's fresh DEK ({@link generateDek}). */
  readonly dek: Buffer;
  readonly oaepHash: OaepHash;
  /** The session cipher; it also seals the credentials. */
  readonly cipher: PesCipherName;
  /** {@link pesAad} of the `register_client` message (`msg_resp` empty). */
  readonly aad: Buffer;
  /** UTF-8 of `{"key_id":…,"secret_key":…}`. */
  readonly credentials: Buffer;
}

/** Inputs of {@link openRegisterClient}. */
export interface OpenRegisterClientOptions {
  /** The private half of the key pair whose public half went out in `init_client`. */
  readonly privateKey: KeyObject;
  readonly oaepHash: OaepHash;
  readonly cipher: PesCipherName;
  readonly aad: Buffer;
  /** The `register_client` `msg_data` as received. */
  readonly msgData: string;
}

/** What a `register_client` carries. */
export interface RegisterClientContents {
  readonly dek: Buffer;
  readonly credentials: Buffer;
}

function assertRsaKey(key: unknown, type: 'public' | 'private', name: string): asserts key is KeyObject {
  if (!(key instanceof KeyObject) || key.type !== type || key.asymmetricKeyType !== 'rsa') {
    throw new TypeError(`${name} must be an RSA ${type} KeyObject`);
  }
}

function assertOaepHash(value: unknown): asserts value is OaepHash {
  if (!isOaepHash(value)) throw new TypeError('oaepHash must be sha256 or sha1');
}

/**
 * Builds the `register_client` `msg_data` (DESIGN §6 step 2): base64( RSA-OAEP(DEK) ‖ IV ‖ sealed
 * credentials ), where the RSA part is exactly the modulus length and the credentials are sealed like
 * any session message: IV(12) ‖ ct ‖ tag under GCM, IV(16) ‖ ct under the CBC compat cipher.
 * RSA-OAEP uses `oaepHash` for both the label hash and MGF1. PKCS#1 v1.5 is never used.
 *
 * @throws TypeError on misuse (not an RSA public KeyObject, DEK not 32 bytes, unknown hash or cipher)
 */
export function buildRegisterClient(options: BuildRegisterClientOptions): string {
  const { publicKey, dek, oaepHash, cipher, aad, credentials } = options;
  assertRsaKey(publicKey, 'public', 'publicKey');
  assertBytes(dek, 'dek'); // the bytes themselves are RSA-encrypted: a KeyObject will not do
  assertKey256(dek, 'dek');
  assertOaepHash(oaepHash);
  const suite = symmetricSuite(cipher, 'cipher');
  assertBytes(aad, 'aad');
  assertBytes(credentials, 'credentials');

  // OAEP with SHA-256 can only be asked for through an options object, which Node 24 brand-checks by
  // throwing twice (see without-stack-traces.ts): ≈ 6.6 µs of the 27 µs this call costs, saved.
  const wrappedDek = withoutStackTraces(() =>
    publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, dek),
  );
  const iv = randomBytes(suite.ivBytes);
  // Sealed under a KeyObject of the DEK: a Buffer key costs Node 24 the same two internal exceptions
  // (measured: seal 16.5 µs with the Buffer, 3.3 + 0.9 µs for createSecretKey and seal with a KeyObject).
  const sealed = suite.seal(createSecretKey(dek), iv, credentials, suite.bindsAad ? aad : undefined);
  return encodeBase64(Buffer.concat([wrappedDek, iv, sealed]));
}

/**
 * Opens a `register_client` `msg_data`: the POS side of the handshake (used by `tools/pos-sim`).
 *
 * Timing: an RSA failure returns before the symmetric step. That is acceptable only because the POS,
 * not a network service of ours, holds the private key; OpenSSL's OAEP decoding itself is constant-time.
 *
 * @throws CryptoError `ERR_CRYPTO_DECRYPT_FAILED` for every failure (encoding, length, RSA, DEK size, AEAD)
 * @throws TypeError on misuse (not an RSA private KeyObject, unknown hash or cipher)
 */
export function openRegisterClient(options: OpenRegisterClientOptions): RegisterClientContents {
  const { privateKey, oaepHash, cipher, aad, msgData } = options;
  assertRsaKey(privateKey, 'private', 'privateKey');
  assertOaepHash(oaepHash);
  const suite = symmetricSuite(cipher, 'cipher');
  assertBytes(aad, 'aad');
  assertString(msgData, 'msgData');

  const rsaBytes = rsaModulusBytes(privateKey);
  const bytes = decodeBase64Text(msgData, 'ignore');
  if (bytes === undefined || !acceptsSealedLength(suite, bytes.length - rsaBytes - suite.ivBytes)) {
    throw new CryptoError('ERR_CRYPTO_DECRYPT_FAILED');
  }
  let dek: Buffer;
  try {
    // The options object costs two internal exceptions on Node 24 (see without-stack-traces.ts).
    dek = withoutStackTraces(() =>
      privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash }, bytes.subarray(0, rsaBytes)),
    );
  } catch {
    throw new CryptoError('ERR_CRYPTO_DECRYPT_FAILED');
  }
  if (dek.length !== AES_256_KEY_BYTES) {
    dek.fill(0);
    throw new CryptoError('ERR_CRYPTO_DECRYPT_FAILED');
  }
  const iv = bytes.subarray(rsaBytes, rsaBytes + suite.ivBytes);
  const sealed = bytes.subarray(rsaBytes + suite.ivBytes);
  const credentials = suite.open(createSecretKey(dek), iv, sealed, suite.bindsAad ? aad : undefined); // KeyObject: see buildRegisterClient
  if (credentials === undefined) {
    dek.fill(0);
    throw new CryptoError('ERR_CRYPTO_DECRYPT_FAILED');
  }
  return { dek, credentials };
}

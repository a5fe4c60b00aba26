/**
 * `@pos-link/crypto`: the ALE cipher suites, the PES session cipher, the `register_client` RSA-OAEP
 * key exchange and key wrapping at rest (DESIGN §2, §3, §6). Plain functions on `node:crypto`; no
 * framework, no I/O. Fixtures for other libs' tests are in `@pos-link/crypto/testing`.
 */

export { CRYPTO_ERROR_CODES, CryptoError, isCryptoError, type CryptoErrorCode } from './errors';

export { ALE_SUITE_NAMES, isAleSuiteName, type AleSuiteName } from './ale-suite';
export { deriveAleKey, toAesKeyObject } from './ale-key';
export type { AesKey } from './assert';
export { encodeAleIv, generateAleIv, parseAleIv } from './ale-iv';
export { aleAad, aleDecrypt, aleEncrypt } from './ale-cipher';
export { isWellFormedUtf8 } from './utf8';

export {
  PES_CIPHER_NAMES,
  generateDek,
  isPesCipherName,
  pesAad,
  pesDecrypt,
  pesEncrypt,
  type PesCipherName,
} from './pes-cipher';

export { OAEP_HASHES, RSA_MIN_MODULUS_BITS, importRsaPublicKey, isOaepHash, type OaepHash } from './rsa-key';
export {
  buildRegisterClient,
  openRegisterClient,
  type BuildRegisterClientOptions,
  type OpenRegisterClientOptions,
  type RegisterClientContents,
} from './register-client';

export { WRAP_SECRET_MIN_CHARS, deriveWrapKey, unwrapSecret, wrapSecret } from './key-wrap';

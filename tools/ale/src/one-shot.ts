/**
 * One-shot ALE encryption and decryption (DESIGN §3, `docs/protocols/ale.md`) on top of `@pos-link/crypto`:
 * what one HTTP request or one WebSocket message needs. No crypto is implemented here.
 */
import {
  aleAad,
  aleDecrypt,
  aleEncrypt,
  deriveAleKey,
  encodeAleIv,
  generateAleIv,
  isAleSuiteName,
  isCryptoError,
  parseAleIv,
  type AesKey,
  type AleSuiteName,
} from '@pos-link/crypto';
import { ALE_HEADERS, isAleTimestamp } from '@pos-link/protocol';
import { AleClientError } from './errors';

/** The default suite (DESIGN §3: `ALE_SUITES` defaults to `aes-256-gcm` only). */
export const DEFAULT_ALE_SUITE: AleSuiteName = 'aes-256-gcm';

/**
 * The key: its Portal `value`, or the derived key — 32 bytes, or (faster on Node 24, see `AleClientKeys`) a
 * secret `KeyObject` of them.
 */
export type AleKeyInput = { readonly keyValue: string; readonly key?: undefined } | { readonly key: AesKey; readonly keyValue?: undefined };

/** Options of {@link encryptAle}. */
export type EncryptAleOptions = AleKeyInput & {
  /** The key's fingerprint (bound into the GCM AAD). */
  readonly fingerprint: string;
  /** The plaintext; a string is UTF-8. The empty plaintext is encrypted too (DESIGN §3). */
  readonly plaintext: string | Buffer;
  /** Suite; default `aes-256-gcm`. */
  readonly suite?: AleSuiteName;
  /** `sec-timestamp`: decimal milliseconds (text or number), or `true` for now; bound into the AAD. */
  readonly timestamp?: string | number | boolean;
  /** A fixed IV (text in base64/base64url/hex, or bytes) — only to reproduce known answers; default fresh. */
  readonly iv?: string | Buffer;
  /** Clock for `timestamp: true`; default `Date.now`. */
  readonly now?: () => number;
};

/** An encrypted payload and the headers that go with it. */
export interface AleSealed {
  /** The suite used. */
  readonly suite: AleSuiteName;
  /** The key's fingerprint. */
  readonly fingerprint: string;
  /** The IV, standard base64. */
  readonly iv: string;
  /** The ciphertext, standard base64 (the HTTP body or the envelope's `message`). */
  readonly ciphertext: string;
  /** The timestamp bound into the AAD, as decimal text; undefined when none. */
  readonly timestamp: string | undefined;
  /** `sec-fingerprint`, `sec-iv`, `sec-alg` and (with a timestamp) `sec-timestamp`. */
  readonly headers: Readonly<Record<string, string>>;
}

/** Options of {@link decryptAle}. */
export type DecryptAleOptions = AleKeyInput & {
  /** The fingerprint the message names (part of the GCM AAD). */
  readonly fingerprint: string;
  /** The IV as received (base64, base64url or hex) or its bytes. */
  readonly iv: string | Buffer;
  /** The ciphertext as received (base64 text) or its bytes. */
  readonly ciphertext: string | Buffer;
  /** Suite; default `aes-256-gcm`. */
  readonly suite?: AleSuiteName;
  /** The timestamp the sender bound into the AAD (decimal text exactly as sent, or a number). */
  readonly timestamp?: string | number;
};

function checkSuite(suite: AleSuiteName | undefined): AleSuiteName {
  const chosen = suite ?? DEFAULT_ALE_SUITE;
  if (!isAleSuiteName(chosen)) throw new TypeError(`suite must be one of aes-256-gcm, aes-256-cbc`);
  return chosen;
}

function keyOf(input: AleKeyInput): AesKey {
  if (input.key !== undefined) return input.key;
  if (typeof input.keyValue !== 'string' || input.keyValue === '') throw new TypeError('keyValue must be a non-empty string');
  return deriveAleKey(input.keyValue);
}

function timestampText(timestamp: string | number | boolean | undefined, now: () => number): string | undefined {
  if (timestamp === undefined || timestamp === false) return undefined;
  const text = timestamp === true ? String(now()) : String(timestamp);
  if (!isAleTimestamp(text)) throw new TypeError('timestamp must be decimal milliseconds since the epoch');
  return text;
}

/**
 * Reads an IV for a suite.
 * @throws AleClientError `ERR_ALE_CLIENT_MESSAGE_INVALID` when it is not decodable or of the wrong length
 */
export function readIv(suite: AleSuiteName, iv: string | Buffer): Buffer {
  try {
    // Bytes go through the same parser (as base64) so the suite's IV length is checked in one place.
    return parseAleIv(suite, Buffer.isBuffer(iv) ? encodeAleIv(iv) : iv);
  } catch (cause) {
    if (isCryptoError(cause)) throw new AleClientError('ERR_ALE_CLIENT_MESSAGE_INVALID', { reason: 'iv', cause });
    throw cause;
  }
}

/**
 * Encrypts one ALE payload with a fresh IV (or the given one) and returns it with its headers.
 * @throws TypeError on misuse (no key, unknown suite, malformed timestamp or IV)
 */
export function encryptAle(options: EncryptAleOptions): AleSealed {
  const suite = checkSuite(options.suite);
  const { fingerprint } = options;
  if (typeof fingerprint !== 'string' || fingerprint === '') throw new TypeError('fingerprint must be a non-empty string');
  const key = keyOf(options);
  const timestamp = timestampText(options.timestamp, options.now ?? Date.now);
  let iv: Buffer;
  try {
    iv = options.iv === undefined ? generateAleIv(suite) : readIv(suite, options.iv);
  } catch {
    throw new TypeError(`iv must be an IV of the ${suite} length (base64, base64url or hex)`);
  }
  const plaintext = typeof options.plaintext === 'string' ? Buffer.from(options.plaintext, 'utf8') : options.plaintext;
  if (!Buffer.isBuffer(plaintext)) throw new TypeError('plaintext must be a string or a Buffer');
  const ciphertext = aleEncrypt(suite, key, iv, plaintext, aleAad(fingerprint, timestamp));
  const ivText = encodeAleIv(iv);
  const headers: Record<string, string> = {
    [ALE_HEADERS.fingerprint]: fingerprint,
    [ALE_HEADERS.iv]: ivText,
    [ALE_HEADERS.alg]: suite,
  };
  if (timestamp !== undefined) headers[ALE_HEADERS.timestamp] = timestamp;
  return { suite, fingerprint, iv: ivText, ciphertext, timestamp, headers };
}

/**
 * Decrypts one ALE payload.
 * @returns the plaintext bytes (under CBC unauthenticated: check them before use)
 * @throws AleClientError `ERR_ALE_CLIENT_MESSAGE_INVALID` (IV not decodable or of the wrong length) or
 *   `ERR_ALE_CLIENT_DECRYPT_FAILED` (anything else: bad base64, tag, padding, key, AAD)
 * @throws TypeError on misuse (no key, unknown suite, malformed timestamp)
 */
export function decryptAle(options: DecryptAleOptions): Buffer {
  const suite = checkSuite(options.suite);
  if (typeof options.fingerprint !== 'string' || options.fingerprint === '') throw new TypeError('fingerprint must be a non-empty string');
  const key = keyOf(options);
  const timestamp = timestampText(options.timestamp, Date.now);
  const iv = readIv(suite, options.iv);
  try {
    return aleDecrypt(suite, key, iv, options.ciphertext, aleAad(options.fingerprint, timestamp));
  } catch (cause) {
    if (isCryptoError(cause)) throw new AleClientError('ERR_ALE_CLIENT_DECRYPT_FAILED', { cause });
    throw cause;
  }
}

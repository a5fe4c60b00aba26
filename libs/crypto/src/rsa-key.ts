import { createPublicKey, type KeyObject } from 'node:crypto';
import { assertString } from './assert';
import { decodeBase64Text } from './base64';
import { CryptoError } from './errors';

/** Smallest accepted RSA modulus (DESIGN §6). */
export const RSA_MIN_MODULUS_BITS = 2048;

/** Largest accepted modulus: OpenSSL's own limit for public-key operations (OPENSSL_RSA_MAX_MODULUS_BITS). */
const RSA_MAX_MODULUS_BITS = 16384;

/** A 16384-bit key is ≈ 2.8 KB as PEM; anything much longer is not a key, so it is not parsed. */
const MAX_KEY_TEXT_CHARS = 8192;

/** The OAEP hash (also MGF1's hash): SHA-256 by default, SHA-1 by configuration (`PES_OAEP_HASH`). */
export type OaepHash = 'sha256' | 'sha1';

/** Every OAEP hash, the default first. */
export const OAEP_HASHES: readonly OaepHash[] = Object.freeze(['sha256', 'sha1']);

/** Narrows untrusted text (a config value) to an OAEP hash name. */
export function isOaepHash(value: unknown): value is OaepHash {
  return value === 'sha256' || value === 'sha1';
}

type DerType = 'spki' | 'pkcs1';

/** PEM labels accepted, and the DER structure each holds. Certificates and private keys are not keys here. */
const PEM_TYPES: Readonly<Record<string, DerType>> = Object.freeze({
  'PUBLIC KEY': 'spki',
  'RSA PUBLIC KEY': 'pkcs1',
});

const PEM = /^-----BEGIN ([A-Z ]+)-----\r?\n([A-Za-z0-9+/=\r\n \t]+)-----END \1-----$/;
const WHITESPACE = /[ \t\r\n]+/g;

function invalid(): CryptoError {
  return new CryptoError('ERR_CRYPTO_RSA_KEY_INVALID');
}

/**
 * Whether `der` is exactly one DER SEQUENCE (tag 0x30, definite length) with nothing after it. SPKI and
 * PKCS#1 keys are both a top-level SEQUENCE; OpenSSL ignores bytes after it, so this refuses them. Reading
 * the outer header is enough (and ≈ 40 µs cheaper per handshake than re-exporting the key to compare).
 */
function isSingleDerSequence(der: Buffer): boolean {
  if (der.length < 2 || der[0] !== 0x30) return false;
  const first = der[1];
  if (first < 0x80) return 2 + first === der.length;
  const lengthBytes = first & 0x7f;
  if (lengthBytes === 0 || lengthBytes > 4 || der.length < 2 + lengthBytes) return false;
  let length = 0;
  for (let i = 0; i < lengthBytes; i++) length = length * 256 + der[2 + i];
  return 2 + lengthBytes + length === der.length;
}

/**
 * Bytes a public key's DER may hold beyond its modulus: the exponent, the INTEGER and SEQUENCE headers
 * and, for SPKI, the AlgorithmIdentifier and BIT STRING wrapper. `createPublicKey` also accepts a
 * PRIVATE key and derives its public half; a private key's DER is over four times the modulus, so this
 * bound refuses it without re-encoding the key.
 */
const PUBLIC_DER_OVERHEAD_MAX: Readonly<Record<DerType, number>> = Object.freeze({ spki: 64, pkcs1: 40 });

/**
 * Modulus lengths already read. `KeyObject.asymmetricKeyDetails` is a getter that asks OpenSSL again on
 * every read (≈ 5 % of an ingress handshake's CPU when read three times on Node 24), so it is read once
 * per key.
 */
const MODULUS_BITS = new WeakMap<KeyObject, number>();

function modulusBits(key: KeyObject): number {
  let bits = MODULUS_BITS.get(key);
  if (bits === undefined) {
    bits = key.asymmetricKeyDetails?.modulusLength ?? 0;
    MODULUS_BITS.set(key, bits);
  }
  return bits;
}

/** The PEM label of each DER structure (RFC 7468 §13; PKCS#1 `RSAPublicKey` as OpenSSL writes it). */
const PEM_LABELS: Readonly<Record<DerType, string>> = Object.freeze({ spki: 'PUBLIC KEY', pkcs1: 'RSA PUBLIC KEY' });

/** RFC 7468 §2: generators wrap the base64 text at exactly 64 characters. */
const PEM_LINE_CHARS = 64;

/**
 * PEM text of `der` as RFC 7468 writes it, from the bytes already checked (never the caller's text).
 *
 * Why PEM and not `{ key: der, format: 'der', type }`: Node 24's `createPublicKey` checks an object
 * argument with `isKeyObject` and `isCryptoKey` (lib/internal/crypto/keys.js), each of which throws and
 * catches a TypeError for anything that is not one, while a string goes straight to OpenSSL's PEM
 * reader. Measured on Node 24.21, RSA-2048: 22.8 µs from DER options, 10.5 µs from this text (building
 * it ≈ 0.5 µs). The bytes OpenSSL parses are exactly `der`: it is re-encoded here in the standard
 * alphabet, so whatever spelling the POS used, the DER checks here hold for exactly what is imported.
 */
function pemOf(der: Buffer, type: DerType): string {
  const base64 = der.toString('base64');
  let body = '';
  for (let i = 0; i < base64.length; i += PEM_LINE_CHARS) body += `${base64.slice(i, i + PEM_LINE_CHARS)}\n`;
  const label = PEM_LABELS[type];
  return `-----BEGIN ${label}-----\n${body}-----END ${label}-----\n`;
}

/** Imports DER of one type strictly: one SEQUENCE, no trailing data, a public (not private) RSA key. */
function importDer(der: Buffer, type: DerType): KeyObject | undefined {
  if (!isSingleDerSequence(der)) return undefined;
  try {
    // The label fixes the structure: OpenSSL reads a `PUBLIC KEY` block only as SPKI and an
    // `RSA PUBLIC KEY` block only as PKCS#1, never as a certificate or a private key.
    const key = createPublicKey(pemOf(der, type));
    if (key.asymmetricKeyType !== 'rsa') return undefined;
    const modulusBytes = Math.ceil(modulusBits(key) / 8);
    return der.length <= modulusBytes + PUBLIC_DER_OVERHEAD_MAX[type] ? key : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Imports a POS's RSA public key from an `init_client` `msg_data` (DESIGN §6): PEM SPKI
 * (`BEGIN PUBLIC KEY`), PEM PKCS#1 (`BEGIN RSA PUBLIC KEY`), or bare base64 DER of either (line breaks
 * allowed). Only plain RSA keys (not RSA-PSS, EC, certificates or private keys).
 *
 * @throws CryptoError `ERR_CRYPTO_RSA_KEY_INVALID` when the text is none of those or not RSA
 * @throws CryptoError `ERR_CRYPTO_RSA_KEY_TOO_SMALL` when the modulus is under 2048 bits
 */
export function importRsaPublicKey(text: string): KeyObject {
  assertString(text, 'text');
  if (text.length > MAX_KEY_TEXT_CHARS) throw invalid();
  const trimmed = text.trim();

  let key: KeyObject | undefined;
  const pem = PEM.exec(trimmed);
  if (pem !== null) {
    const type = PEM_TYPES[pem[1]];
    const der = type === undefined ? undefined : decodeBase64Text(pem[2].replace(WHITESPACE, ''), 'refuse');
    key = type === undefined || der === undefined ? undefined : importDer(der, type);
  } else if (!trimmed.startsWith('-----')) {
    const der = decodeBase64Text(trimmed.replace(WHITESPACE, ''), 'refuse');
    key = der === undefined ? undefined : (importDer(der, 'spki') ?? importDer(der, 'pkcs1'));
  }
  if (key === undefined) throw invalid();

  const bits = modulusBits(key);
  if (bits > RSA_MAX_MODULUS_BITS) throw invalid();
  if (bits < RSA_MIN_MODULUS_BITS) throw new CryptoError('ERR_CRYPTO_RSA_KEY_TOO_SMALL');
  return key;
}

/** The RSA modulus length in bytes: the exact size of an OAEP ciphertext under `key`. */
export function rsaModulusBytes(key: KeyObject): number {
  return Math.ceil(modulusBits(key) / 8);
}

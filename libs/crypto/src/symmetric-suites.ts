import type { AesKey } from './assert';
import { AES_256_CBC } from './aes-256-cbc';
import { AES_256_GCM } from './aes-256-gcm';
import { decodedLengthHint } from './base64';
import { acceptsSealedLength, type SymmetricSuite, type SymmetricSuiteName } from './symmetric-suite';

/** The descriptor table: suite name → descriptor. */
export const SYMMETRIC_SUITES: Readonly<Record<SymmetricSuiteName, SymmetricSuite>> = Object.freeze({
  'aes-256-gcm': AES_256_GCM,
  'aes-256-cbc': AES_256_CBC,
});

/** Every suite name, in preference order (GCM first: it is the default everywhere). */
export const SYMMETRIC_SUITE_NAMES: readonly SymmetricSuiteName[] = Object.freeze(['aes-256-gcm', 'aes-256-cbc']);

export function isSymmetricSuiteName(value: unknown): value is SymmetricSuiteName {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(SYMMETRIC_SUITES, value);
}

/** Looks a suite up; an unknown name is a programmer error (callers validate names at their edge). */
export function symmetricSuite(name: unknown, argName: string): SymmetricSuite {
  if (!isSymmetricSuiteName(name)) {
    throw new TypeError(`${argName} must be one of ${SYMMETRIC_SUITE_NAMES.join(', ')}`);
  }
  return SYMMETRIC_SUITES[name];
}

/**
 * Opens a sealed message read from the wire, doing comparable work whatever is wrong with it.
 *
 * `sealed` is `undefined` when its text did not decode. When it did not decode or its length cannot
 * be a sealed message, the suite still runs, with the real key and IV, over a zero-filled decoy of about
 * the size the text implies, and the result is thrown away. So bad base64, a short tag, a bad tag, bad
 * padding and a wrong key all cost one cipher pass over the input's size and end in the same `undefined`;
 * what remains observable is the size of the input, which the sender chose.
 *
 * @param lengthHintFrom the wire text, used only to size the decoy
 */
export function openUniformly(
  suite: SymmetricSuite,
  key: AesKey,
  iv: Buffer,
  sealed: Buffer | undefined,
  lengthHintFrom: string | Buffer,
  aad: Buffer | undefined,
): Buffer | undefined {
  const boundAad = suite.bindsAad ? aad : undefined;
  if (sealed !== undefined && acceptsSealedLength(suite, sealed.length)) {
    return suite.open(key, iv, sealed, boundAad);
  }
  const hint = typeof lengthHintFrom === 'string' ? decodedLengthHint(lengthHintFrom) : lengthHintFrom.length;
  const decoyLength = Math.max(suite.minSealedBytes, hint - (hint % suite.sealedMultipleOf));
  suite.open(key, iv, Buffer.alloc(decoyLength), boundAad)?.fill(0);
  return undefined;
}

/**
 * The keys a client holds: fingerprint → ALE key, each derived once (SHA-256 of the value, DESIGN §2).
 * The fingerprint selects exactly one key; nothing is ever tried with several keys (GCM is not
 * key-committing, DESIGN §2).
 *
 * Each key is held as a secret `KeyObject`: on Node 24 a cipher given a `Buffer` key pays two internal
 * exceptions per call (measured for a 1 KiB GCM message: encrypt 15.8 → 7.9 µs, decrypt 21.2 → 5.2 µs),
 * and a `KeyObject` also keeps the bytes out of the JavaScript heap.
 */
import type { KeyObject } from 'node:crypto';
import { deriveAleKey, toAesKeyObject } from '@pos-link/crypto';
import { AleClientError } from './errors';

/** A fingerprint → key-value map as the Portal lists it (e.g. the current and the previous key). */
export type AleKeyValues = Readonly<Record<string, string>>;

/** The keys of one client. */
export class AleClientKeys {
  readonly #keys = new Map<string, KeyObject>();

  /** @param values fingerprint → key value */
  constructor(values: AleKeyValues = {}) {
    for (const [fingerprint, value] of Object.entries(values)) this.add(fingerprint, value);
  }

  /**
   * Adds (or replaces) a key.
   * @throws TypeError when the fingerprint or value is not a non-empty string
   */
  add(fingerprint: string, value: string): void {
    if (typeof fingerprint !== 'string' || fingerprint === '') throw new TypeError('fingerprint must be a non-empty string');
    if (typeof value !== 'string' || value === '') throw new TypeError('key value must be a non-empty string');
    this.#keys.set(fingerprint, toAesKeyObject(deriveAleKey(value)));
  }

  /** Whether a key with this fingerprint is held. */
  has(fingerprint: string): boolean {
    return this.#keys.has(fingerprint);
  }

  /**
   * The key of a fingerprint.
   * @throws AleClientError `ERR_ALE_CLIENT_FINGERPRINT_UNKNOWN` when none is held
   */
  key(fingerprint: string): KeyObject {
    const key = this.#keys.get(fingerprint);
    if (key === undefined) throw new AleClientError('ERR_ALE_CLIENT_FINGERPRINT_UNKNOWN');
    return key;
  }
}

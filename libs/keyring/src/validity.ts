import type { SiteKey } from './site-key';

/** DESIGN §2 / §8 `KEY_SKEW_MS`: clocks of the Portal, POS and gateway may differ by this much. */
export const DEFAULT_SKEW_MS = 60_000;

/** DESIGN §2 / §8 `KEY_GRACE_MS`: an expired key still decrypts this long, for in-flight clients. */
export const DEFAULT_GRACE_MS = 60_000;

/** The validity window of a key; {@link SiteKey} satisfies it. */
export interface KeyValidity {
  /** First valid millisecond (inclusive). */
  readonly validAfter: number;
  /** First invalid millisecond (exclusive). */
  readonly validUntil: number;
}

/**
 * Whether a key may DECRYPT at `now` (DESIGN §2): `validAfter - skew <= now < validUntil + grace`. A listed
 * key outside this window answers errorCode 3, not 2 (DESIGN §3).
 */
export function canDecrypt(key: KeyValidity, now: number, skewMs: number, graceMs: number): boolean {
  return key.validAfter - skewMs <= now && now < key.validUntil + graceMs;
}

/** Whether a key may ENCRYPT at `now` (DESIGN §2): `validAfter <= now < validUntil`, no skew, no grace. */
export function canEncrypt(key: KeyValidity, now: number): boolean {
  return key.validAfter <= now && now < key.validUntil;
}

/**
 * Whether a stored key may be dropped (DESIGN §2): once the Portal stops listing it AND `validUntil + grace`
 * has passed, i.e. once no client can still use it to decrypt.
 */
export function isPastGrace(key: KeyValidity, now: number, graceMs: number): boolean {
  return now >= key.validUntil + graceMs;
}

/**
 * The key to encrypt with at `now` (DESIGN §2 / §4): the preferred one (the key the client itself last used)
 * while it can encrypt, otherwise the encrypt-capable key with the latest `validAfter` (ties: the first
 * listed), otherwise none. Both sides can always read each other during the overlap.
 *
 * @param keys the site's keys
 * @param now the current time in ms
 * @param preferredFingerprint the fingerprint the client last used, if any
 */
export function selectEncryptionKey<K extends KeyValidity & Pick<SiteKey, 'fingerprint'>>(
  keys: readonly K[],
  now: number,
  preferredFingerprint?: string,
): K | undefined {
  let latest: K | undefined;
  for (const key of keys) {
    if (!canEncrypt(key, now)) continue;
    if (preferredFingerprint !== undefined && key.fingerprint === preferredFingerprint) return key;
    if (latest === undefined || key.validAfter > latest.validAfter) latest = key;
  }
  return latest;
}

/**
 * The key model (DESIGN §2, seed 001): what the Portal lists per site, with timestamps already parsed to
 * milliseconds since the epoch. `value` is a secret: it never goes into a log line, an error message, a
 * metric label or a health response.
 */
export interface SiteKey {
  /** Public identifier of the key (seed 001: "an encrypted UUID with MD5 or similar"). */
  readonly fingerprint: string;
  /** The secret pass phrase. The ALE key is SHA-256 of its UTF-8 bytes (`deriveAleKey`). */
  readonly value: string;
  /** First millisecond the key is valid (inclusive). */
  readonly validAfter: number;
  /** First millisecond the key is no longer valid (exclusive). */
  readonly validUntil: number;
}

/** One site's keys as fetched from the Portal (or as stored: then unlisted keys still in grace are kept). */
export interface SiteKeys {
  /** The Portal's site id. */
  readonly siteId: string;
  /** The service entry's `encryption` flag: false means the site talks plaintext (DESIGN §3). */
  readonly encryption: boolean;
  /** The keys, listed ones first in the Portal's order. */
  readonly keys: readonly SiteKey[];
  /** When key-sync fetched the site object (ms since the epoch). */
  readonly fetchedAt: number;
  /**
   * The site's refresh epoch as key-sync read it just before the fetch began ({@link KeyStore.beginRefresh}):
   * a reader that advanced the epoch to E before asking for a refresh accepts only a listing with an epoch
   * of at least E — one fetched after its request, not one already under way. 0 or absent: none read.
   */
  readonly refreshEpoch?: number;
}

/**
 * Site ids end up in URL paths (`/sites/{siteId}/`, DESIGN §3) and inside Redis hash tags
 * (`{site:<id>}`, DESIGN §2), so only URL-unreserved characters are allowed (no `/`, `{`, `}`, spaces).
 */
const SITE_ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._~-]{0,127}$/;

/**
 * Fingerprints travel in HTTP headers and JSON (seed 000), so visible ASCII only, at most 128 characters
 * (an MD5 hex string is 32).
 */
const FINGERPRINT_PATTERN = /^[\x21-\x7e]{1,128}$/;

/** True when `siteId` is a usable site id: 1–128 URL-unreserved characters, starting alphanumeric. */
export function isValidSiteId(siteId: unknown): siteId is string {
  return typeof siteId === 'string' && SITE_ID_PATTERN.test(siteId);
}

/** True when `fingerprint` is 1–128 visible ASCII characters. */
export function isValidFingerprint(fingerprint: unknown): fingerprint is string {
  return typeof fingerprint === 'string' && FINGERPRINT_PATTERN.test(fingerprint);
}

/** Throws `TypeError` unless `siteId` is valid (programmer misuse: site ids come from validated config). */
export function assertSiteId(siteId: unknown): asserts siteId is string {
  if (!isValidSiteId(siteId)) {
    throw new TypeError('siteId must be 1-128 URL-unreserved characters starting with a letter or digit');
  }
}

/**
 * Throws `TypeError` unless `siteKeys` is well formed: valid site id, boolean `encryption`, finite
 * `fetchedAt`, keys with valid fingerprints (unique), non-empty string values and finite, ordered times.
 * Stores call it on input that should already have passed {@link parseSiteSecurity}.
 */
export function assertSiteKeys(siteKeys: SiteKeys): void {
  if (typeof siteKeys !== 'object' || siteKeys === null) throw new TypeError('siteKeys must be an object');
  assertSiteId(siteKeys.siteId);
  if (typeof siteKeys.encryption !== 'boolean') throw new TypeError('siteKeys.encryption must be a boolean');
  if (!Number.isFinite(siteKeys.fetchedAt)) throw new TypeError('siteKeys.fetchedAt must be a finite number');
  if (siteKeys.refreshEpoch !== undefined && !(Number.isSafeInteger(siteKeys.refreshEpoch) && siteKeys.refreshEpoch >= 0)) {
    throw new TypeError('siteKeys.refreshEpoch must be a non-negative integer');
  }
  if (!Array.isArray(siteKeys.keys)) throw new TypeError('siteKeys.keys must be an array');
  const seen = new Set<string>();
  for (const key of siteKeys.keys) {
    if (!isValidFingerprint(key?.fingerprint)) throw new TypeError('key.fingerprint is invalid');
    if (seen.has(key.fingerprint)) throw new TypeError(`duplicate fingerprint ${key.fingerprint}`);
    seen.add(key.fingerprint);
    if (typeof key.value !== 'string' || key.value.length === 0) {
      throw new TypeError('key.value must be a non-empty string');
    }
    if (!Number.isFinite(key.validAfter) || !Number.isFinite(key.validUntil) || key.validUntil <= key.validAfter) {
      throw new TypeError('key validity must be finite with validUntil > validAfter');
    }
  }
}

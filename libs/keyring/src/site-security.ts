import { KeyringError, type KeyringErrorCode } from './errors';
import { parsePortalTimestamp } from './portal-timestamp';
import { isValidFingerprint, type SiteKey } from './site-key';

/** The security-field entry read by default: Enterprise Kitchen's, keyed `XKM` in seed 001 (DESIGN §2). */
export const DEFAULT_PORTAL_SERVICE = 'XKM';

/** Seed 001: "a Secret Key from the collection (maximum size of 2)" — previous and current. */
export const MAX_SITE_KEYS = 2;

/** A key value is a pass phrase; anything longer is a Portal fault, refused rather than kept in memory. */
export const MAX_KEY_VALUE_LENGTH = 4096;

/** The service entry of a site object, validated (DESIGN §2 "store strictly"). */
export interface SiteSecurity {
  /** Whether the site uses ALE. */
  readonly encryption: boolean;
  /** 0–2 keys with unique fingerprints and `validUntil > validAfter`; empty when `encryption` is false. */
  readonly keys: readonly SiteKey[];
}

/**
 * Validates the security field of a Portal site object (DESIGN §2, seed 001).
 *
 * Parse liberally: unknown fields anywhere are ignored, timestamps go through {@link parsePortalTimestamp},
 * and a missing or `null` `keys` with `encryption: true` means no keys (seed 001 marks it optional). When
 * `encryption` is false the seed says keys are not presented, so `keys` is ignored and the result has none.
 *
 * Store strictly: anything else makes the WHOLE object invalid — a {@link KeyringError} whose code names the
 * reason (`ERR_KEYRING_SITE_*`, see `errors.ts`), checked in this order: not an object; `security` or its
 * `service` entry missing or not an object; `encryption` not a boolean; `keys` not an array; more than two
 * keys; per key in order: not an object, `fingerprint` (1–128 visible ASCII) / `value` (non-empty string,
 * at most 4096 characters) / `valid_after` / `valid_until` (strings) missing or ill-typed, duplicate
 * fingerprint, unreadable timestamp, `valid_until <= valid_after`. Messages name the key index and field,
 * never a value.
 *
 * @param siteObject the parsed JSON body of `GET /sites/{id}`
 * @param service the security-field entry to read (`PORTAL_SERVICE`, default `XKM`)
 * @throws KeyringError for an invalid object; TypeError when `service` is not a non-empty string
 */
export function parseSiteSecurity(siteObject: unknown, service: string = DEFAULT_PORTAL_SERVICE): SiteSecurity {
  if (typeof service !== 'string' || service.length === 0) throw new TypeError('service must be a non-empty string');
  if (!isPlainObject(siteObject)) throw siteError('ERR_KEYRING_SITE_NOT_OBJECT');
  const security = ownField(siteObject, 'security');
  if (!isPlainObject(security)) throw siteError('ERR_KEYRING_SITE_SECURITY_MISSING', 'no security object');
  const entry = ownField(security, service);
  if (!isPlainObject(entry)) throw siteError('ERR_KEYRING_SITE_SECURITY_MISSING', `no ${service} entry`);

  const encryption = ownField(entry, 'encryption');
  if (typeof encryption !== 'boolean') throw siteError('ERR_KEYRING_SITE_ENCRYPTION_INVALID');
  if (!encryption) return { encryption, keys: [] };

  const rawKeys = ownField(entry, 'keys');
  if (rawKeys === undefined || rawKeys === null) return { encryption, keys: [] };
  if (!Array.isArray(rawKeys)) throw siteError('ERR_KEYRING_SITE_KEYS_INVALID');
  if (rawKeys.length > MAX_SITE_KEYS) throw siteError('ERR_KEYRING_SITE_TOO_MANY_KEYS', `${rawKeys.length} keys`);

  const keys: SiteKey[] = [];
  const seen = new Set<string>();
  rawKeys.forEach((raw: unknown, index) => {
    const key = parseKey(raw, index);
    if (seen.has(key.fingerprint)) {
      throw siteError('ERR_KEYRING_SITE_DUPLICATE_FINGERPRINT', `key ${index} repeats ${key.fingerprint}`);
    }
    seen.add(key.fingerprint);
    keys.push(key);
  });
  return { encryption, keys };
}

function parseKey(raw: unknown, index: number): SiteKey {
  if (!isPlainObject(raw)) throw siteError('ERR_KEYRING_SITE_KEY_FIELD_INVALID', `key ${index} is not an object`);
  const fingerprint = ownField(raw, 'fingerprint');
  if (!isValidFingerprint(fingerprint)) {
    throw siteError('ERR_KEYRING_SITE_KEY_FIELD_INVALID', `key ${index} fingerprint must be 1-128 visible ASCII`);
  }
  const value = ownField(raw, 'value');
  if (typeof value !== 'string' || value.length === 0 || value.length > MAX_KEY_VALUE_LENGTH) {
    throw siteError('ERR_KEYRING_SITE_KEY_FIELD_INVALID', `key ${index} value must be a string of 1-4096 characters`);
  }
  const validAfter = readTime(raw, 'valid_after', index);
  const validUntil = readTime(raw, 'valid_until', index);
  if (validUntil <= validAfter) throw siteError('ERR_KEYRING_SITE_VALIDITY_INVERTED', `key ${index} (${fingerprint})`);
  return { fingerprint, value, validAfter, validUntil };
}

function readTime(key: Record<string, unknown>, field: 'valid_after' | 'valid_until', index: number): number {
  const text = ownField(key, field);
  if (typeof text !== 'string') throw siteError('ERR_KEYRING_SITE_KEY_FIELD_INVALID', `key ${index} ${field} must be a string`);
  try {
    return parsePortalTimestamp(text);
  } catch (cause) {
    throw siteError('ERR_KEYRING_SITE_TIMESTAMP_INVALID', `key ${index} ${field}`, cause);
  }
}

function siteError(code: KeyringErrorCode, detail?: string, cause?: unknown): KeyringError {
  return new KeyringError(code, detail, cause === undefined ? undefined : { cause });
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Own properties only: a service named `constructor` or `toString` must not read `Object.prototype`. */
function ownField(object: Record<string, unknown>, name: string): unknown {
  return Object.hasOwn(object, name) ? object[name] : undefined;
}

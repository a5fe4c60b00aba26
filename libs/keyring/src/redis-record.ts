import { KeyringError } from './errors';
import { isValidFingerprint } from './site-key';

/** Bumped if the stored record shape ever changes; readers refuse versions they do not know. */
export const RECORD_VERSION = 1;

/** A stored key: as listed, with its value wrapped (AES-256-GCM under the wrap key, DESIGN §2). */
export interface StoredKey {
  readonly fingerprint: string;
  readonly validAfter: number;
  readonly validUntil: number;
  /** `wrapSecret(wrapKey, value, siteId + ":" + fingerprint)`. */
  readonly wrappedValue: string;
}

/** The JSON record at `<prefix>:{site:<id>}:keys`. */
export interface StoredRecord {
  readonly v: typeof RECORD_VERSION;
  readonly siteId: string;
  readonly encryption: boolean;
  readonly fetchedAt: number;
  /** `SiteKeys.refreshEpoch` (0 when none); records written before it existed have none. */
  readonly refreshEpoch: number;
  readonly keys: readonly StoredKey[];
}

/** Serialises a record; field order is fixed so equal records give equal text. */
export function encodeRecord(record: StoredRecord): string {
  return JSON.stringify({
    v: record.v,
    siteId: record.siteId,
    encryption: record.encryption,
    fetchedAt: record.fetchedAt,
    refreshEpoch: record.refreshEpoch,
    keys: record.keys.map((key) => ({
      fingerprint: key.fingerprint,
      validAfter: key.validAfter,
      validUntil: key.validUntil,
      wrappedValue: key.wrappedValue,
    })),
  });
}

/**
 * Reads a record back, checking every field: Redis is shared infrastructure, so what comes back is input.
 * @throws KeyringError `ERR_KEYRING_STORE_CORRUPT`
 */
export function decodeRecord(text: string, siteId: string): StoredRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw corrupt(siteId, 'not JSON');
  }
  if (typeof parsed !== 'object' || parsed === null) throw corrupt(siteId, 'not an object');
  const record = parsed as Record<string, unknown>;
  if (record['v'] !== RECORD_VERSION) throw corrupt(siteId, 'unknown version');
  if (record['siteId'] !== siteId) throw corrupt(siteId, 'site id mismatch');
  if (typeof record['encryption'] !== 'boolean') throw corrupt(siteId, 'encryption');
  if (!Number.isFinite(record['fetchedAt'])) throw corrupt(siteId, 'fetchedAt');
  const refreshEpoch = record['refreshEpoch'] ?? 0;
  if (!Number.isSafeInteger(refreshEpoch) || (refreshEpoch as number) < 0) throw corrupt(siteId, 'refreshEpoch');
  const keys = record['keys'];
  if (!Array.isArray(keys)) throw corrupt(siteId, 'keys');
  return {
    v: RECORD_VERSION,
    siteId,
    encryption: record['encryption'],
    fetchedAt: record['fetchedAt'] as number,
    refreshEpoch: refreshEpoch as number,
    keys: keys.map((key: unknown) => decodeKey(key, siteId)),
  };
}

function decodeKey(raw: unknown, siteId: string): StoredKey {
  if (typeof raw !== 'object' || raw === null) throw corrupt(siteId, 'key');
  const key = raw as Record<string, unknown>;
  const { fingerprint, validAfter, validUntil, wrappedValue } = key;
  if (
    !isValidFingerprint(fingerprint) ||
    typeof validAfter !== 'number' ||
    typeof validUntil !== 'number' ||
    !Number.isFinite(validAfter) ||
    !Number.isFinite(validUntil) ||
    typeof wrappedValue !== 'string'
  ) {
    throw corrupt(siteId, 'key fields');
  }
  return { fingerprint, validAfter, validUntil, wrappedValue };
}

function corrupt(siteId: string, what: string): KeyringError {
  return new KeyringError('ERR_KEYRING_STORE_CORRUPT', `site ${siteId}: ${what}`);
}

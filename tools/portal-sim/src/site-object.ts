import type { PortalFaultKind } from './faults';
import { randomFingerprint, randomKeyValue, type RandomSource } from './random-source';
import type { PortalSimKey } from './sim-key';
import type { SimSite } from './sim-site';

/** A key as it goes on the wire (seed 001 field names, ISO-8601 times). */
interface WireKey {
  fingerprint: string;
  value: string;
  valid_after: string;
  valid_until: string;
}

/** The faults that change the site object itself (the others change the HTTP exchange). */
export type ObjectFaultKind = Extract<
  PortalFaultKind,
  'seed-timestamps' | 'three-keys' | 'duplicate-fingerprint' | 'until-before-after' | 'encryption-not-boolean'
>;

/** ISO-8601 UTC with milliseconds, as a careful Portal writes it. */
function isoWithMillis(ms: number): string {
  return new Date(ms).toISOString();
}

/**
 * The seed 001 example's own form: three-digit seconds `0SS`, no fraction (`2024-06-11T00:00:000Z`). The
 * milliseconds are dropped, so a key starts and ends up to 999 ms earlier than `currentKeys()` says.
 */
export function seedStyleTimestamp(ms: number): string {
  const iso = new Date(ms).toISOString(); // YYYY-MM-DDTHH:MM:SS.mmmZ
  return `${iso.slice(0, 17)}0${iso.slice(17, 19)}Z`;
}

function wireKey(key: PortalSimKey, format: (ms: number) => string): WireKey {
  return {
    fingerprint: key.fingerprint,
    value: key.value,
    valid_after: format(key.validAfter),
    valid_until: format(key.validUntil),
  };
}

function extraKey(random: RandomSource, now: number): PortalSimKey {
  return { fingerprint: randomFingerprint(random), value: randomKeyValue(random), validAfter: now, validUntil: now + 3_600_000 };
}

/** Bends the key list for the key faults; the stored keys are never changed. */
function applyKeyFault(
  listed: PortalSimKey[],
  fault: ObjectFaultKind | undefined,
  random: RandomSource,
  now: number,
): PortalSimKey[] {
  const keys = [...listed];
  const minimum = fault === 'three-keys' ? 3 : fault === 'duplicate-fingerprint' ? 2 : fault === 'until-before-after' ? 1 : 0;
  while (keys.length < minimum) keys.push(extraKey(random, now));
  const [first, second, ...rest] = keys;
  if (first === undefined) return keys;
  if (fault === 'duplicate-fingerprint' && second !== undefined) {
    return [first, { ...second, fingerprint: first.fingerprint }, ...rest];
  }
  if (fault === 'until-before-after') {
    return [{ ...first, validUntil: first.validAfter - 3_600_000 }, ...keys.slice(1)];
  }
  return keys;
}

/**
 * The site object `GET /sites/:id` serves: the seed 001 example's fields for realism, `id`, `name` and
 * `store_number` of this site, and `security.<service>` = `{ encryption, keys }` (`keys` only when encryption
 * is on, as the seed says). An object fault bends exactly one rule; key faults apply to the keys field
 * whatever the flag (a reader ignores keys when encryption is off).
 */
export function renderSiteObject(
  site: SimSite,
  service: string,
  now: number,
  random: RandomSource,
  fault?: ObjectFaultKind,
): Record<string, unknown> {
  const format = fault === 'seed-timestamps' ? seedStyleTimestamp : isoWithMillis;
  const keys = applyKeyFault(site.listed(now), fault, random, now).map((key) => wireKey(key, format));
  const keyFault = fault === 'three-keys' || fault === 'duplicate-fingerprint' || fault === 'until-before-after';
  const entry: Record<string, unknown> = { encryption: fault === 'encryption-not-boolean' ? String(site.encryption) : site.encryption };
  if (site.encryption || keyFault) entry['keys'] = keys;
  return {
    id: site.siteId,
    active: true,
    all_active_and_inactive_subscriptions: ['XKS'],
    alternate_languages: [],
    automatic_updates: false,
    business_type: 'QSR',
    edm_sync: true,
    email: '',
    environment: 'Production',
    hierarchies: [],
    identifiers: { federal_tax: '', state_province_tax: '' },
    is_active: true,
    is_demo: false,
    metadata: [],
    name: site.name,
    phone_number: '111111111',
    phone_settings: { code: '1', country: 'us', number: '111111111' },
    preferred_language: 'en-US',
    preferred_language_name: 'English - United States',
    preferred_language_native_name: 'English (US)',
    roles: [],
    security: { [service]: entry },
    store_number: String(site.index),
    subscriptions: ['XKS'],
    support_phone_number: '',
    support_phone_option: 'Use Company Settings',
    support_phone_settings: { code: '', country: '', number: '' },
    tasks: [],
    timezone: 'US/Pacific',
    type: 'Production',
    website: '',
  };
}

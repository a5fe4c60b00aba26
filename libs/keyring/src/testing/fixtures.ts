import type { SiteKey, SiteKeys } from '../site-key';

/**
 * The site object of seed 001, field for field (its `...` elisions dropped and its missing closing brace
 * added). Note the seed's three-digit seconds in the timestamps. A fresh copy per call, so tests may mutate it.
 */
export function seedSiteObject(): Record<string, unknown> {
  return {
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
    name: 'Restaurant 1',
    phone_number: '111111111',
    phone_settings: { code: '1', country: 'us', number: '111111111' },
    preferred_language: 'en-US',
    preferred_language_name: 'English - United States',
    preferred_language_native_name: 'English (US)',
    roles: [],
    security: {
      XKM: {
        encryption: true,
        keys: [
          {
            fingerprint: 'b6e4b70983144e192bd7eea24c698f54',
            value: 'secret',
            valid_after: '2024-06-11T00:00:000Z',
            valid_until: '2024-07-11T00:00:000Z',
          },
          {
            fingerprint: '8ad8c9b0faedd4799805510a91578849',
            value: 'secret',
            valid_after: '2024-07-04T00:00:000Z',
            valid_until: '2024-08-11T00:00:000Z',
          },
        ],
      },
    },
    store_number: '1',
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

let counter = 0;

/**
 * A key for tests: a fresh fingerprint and value unless given, valid from `validAfter` (default: one hour
 * ago) for `lifetimeMs` (default: one day).
 */
export function makeSiteKey(
  overrides: Partial<SiteKey> & { lifetimeMs?: number; now?: number } = {},
): SiteKey {
  counter += 1;
  const now = overrides.now ?? Date.now();
  const validAfter = overrides.validAfter ?? now - 3_600_000;
  return {
    fingerprint: overrides.fingerprint ?? `fp-${process.pid}-${counter}-${Math.random().toString(16).slice(2, 10)}`,
    value: overrides.value ?? `value-${counter}-${Math.random().toString(36).slice(2)}`,
    validAfter,
    validUntil: overrides.validUntil ?? validAfter + (overrides.lifetimeMs ?? 86_400_000),
  };
}

/** A {@link SiteKeys} for tests (encryption on, fetched now unless given). */
export function makeSiteKeys(siteId: string, keys: readonly SiteKey[], overrides: Partial<SiteKeys> = {}): SiteKeys {
  return { siteId, encryption: true, keys, fetchedAt: Date.now(), ...overrides };
}

import { isSiteInvalidError, KeyringError } from './errors';
import { parseSiteSecurity } from './site-security';
import { seedSiteObject } from './testing/fixtures';

type Mutable = Record<string, unknown>;

/** The seed object with its XKM entry replaced/edited by `edit`. */
function withEntry(edit: (entry: Mutable) => void): Mutable {
  const site = seedSiteObject();
  edit((site['security'] as Mutable)['XKM'] as Mutable);
  return site;
}

function keysOf(entry: Mutable): Mutable[] {
  return entry['keys'] as Mutable[];
}

function failure(fn: () => unknown): KeyringError {
  try {
    fn();
  } catch (error) {
    if (error instanceof KeyringError) return error;
    throw error;
  }
  throw new Error('expected a KeyringError');
}

describe('parseSiteSecurity', () => {
  it('reads the seed 001 site object, its three-digit seconds included', () => {
    expect(parseSiteSecurity(seedSiteObject())).toEqual({
      encryption: true,
      keys: [
        {
          fingerprint: 'b6e4b70983144e192bd7eea24c698f54',
          value: 'secret',
          validAfter: Date.UTC(2024, 5, 11),
          validUntil: Date.UTC(2024, 6, 11),
        },
        {
          fingerprint: '8ad8c9b0faedd4799805510a91578849',
          value: 'secret',
          validAfter: Date.UTC(2024, 6, 4),
          validUntil: Date.UTC(2024, 7, 11),
        },
      ],
    });
  });

  it('ignores unknown fields at every level', () => {
    const site = withEntry((entry) => {
      entry['extra'] = { nested: true };
      keysOf(entry)[0]!['algorithm'] = 'aes-256-gcm';
    });
    (site['security'] as Mutable)['XKS'] = { whatever: 1 };
    expect(parseSiteSecurity(site).keys).toHaveLength(2);
  });

  it('reads another service entry when asked (PORTAL_SERVICE)', () => {
    const site = seedSiteObject();
    const security = site['security'] as Mutable;
    security['OTHER'] = { encryption: false };
    expect(parseSiteSecurity(site, 'OTHER')).toEqual({ encryption: false, keys: [] });
  });

  it('treats encryption false as no keys, whatever keys says (seed: keys only presented when true)', () => {
    const site = withEntry((entry) => {
      entry['encryption'] = false;
      entry['keys'] = 'ignored';
    });
    expect(parseSiteSecurity(site)).toEqual({ encryption: false, keys: [] });
  });

  it('treats a missing or null keys with encryption true as zero keys (seed: keys are optional)', () => {
    expect(parseSiteSecurity(withEntry((entry) => delete entry['keys']))).toEqual({ encryption: true, keys: [] });
    expect(parseSiteSecurity(withEntry((entry) => (entry['keys'] = null)))).toEqual({ encryption: true, keys: [] });
    expect(parseSiteSecurity(withEntry((entry) => (entry['keys'] = [])))).toEqual({ encryption: true, keys: [] });
  });

  it('reads ordinary ISO-8601 timestamps with milliseconds and offsets', () => {
    const site = withEntry((entry) => {
      keysOf(entry)[0]!['valid_after'] = '2024-06-11T00:00:00.250Z';
      keysOf(entry)[0]!['valid_until'] = '2024-07-11T02:00:00+02:00';
    });
    const [first] = parseSiteSecurity(site).keys;
    expect(first!.validAfter).toBe(Date.UTC(2024, 5, 11, 0, 0, 0, 250));
    expect(first!.validUntil).toBe(Date.UTC(2024, 6, 11));
  });

  it.each<[string, unknown, string]>([
    ['a non-object (array)', [], 'ERR_KEYRING_SITE_NOT_OBJECT'],
    ['a non-object (null)', null, 'ERR_KEYRING_SITE_NOT_OBJECT'],
    ['a non-object (string)', 'site', 'ERR_KEYRING_SITE_NOT_OBJECT'],
    ['no security field', { name: 'x' }, 'ERR_KEYRING_SITE_SECURITY_MISSING'],
    ['security not an object', { security: [] }, 'ERR_KEYRING_SITE_SECURITY_MISSING'],
    ['no XKM entry', { security: { XKS: { encryption: true } } }, 'ERR_KEYRING_SITE_SECURITY_MISSING'],
    ['an XKM entry that is null', { security: { XKM: null } }, 'ERR_KEYRING_SITE_SECURITY_MISSING'],
  ])('refuses %s', (_why, site, code) => {
    const error = failure(() => parseSiteSecurity(site));
    expect(error.code).toBe(code);
    expect(isSiteInvalidError(error)).toBe(true);
  });

  it('does not read an entry from Object.prototype (service "constructor")', () => {
    expect(failure(() => parseSiteSecurity({ security: {} }, 'constructor')).code).toBe('ERR_KEYRING_SITE_SECURITY_MISSING');
  });

  it.each<[string, (entry: Mutable) => void, string]>([
    ['encryption as a string', (e) => (e['encryption'] = 'true'), 'ERR_KEYRING_SITE_ENCRYPTION_INVALID'],
    ['encryption missing', (e) => delete e['encryption'], 'ERR_KEYRING_SITE_ENCRYPTION_INVALID'],
    ['encryption as 1', (e) => (e['encryption'] = 1), 'ERR_KEYRING_SITE_ENCRYPTION_INVALID'],
    ['keys as an object', (e) => (e['keys'] = {}), 'ERR_KEYRING_SITE_KEYS_INVALID'],
    ['three keys', (e) => keysOf(e).push({ ...keysOf(e)[1]!, fingerprint: 'c'.repeat(32) }), 'ERR_KEYRING_SITE_TOO_MANY_KEYS'],
    ['a duplicate fingerprint', (e) => (keysOf(e)[1]!['fingerprint'] = keysOf(e)[0]!['fingerprint']), 'ERR_KEYRING_SITE_DUPLICATE_FINGERPRINT'],
    ['a key that is not an object', (e) => (keysOf(e)[1] = 'key' as unknown as Mutable), 'ERR_KEYRING_SITE_KEY_FIELD_INVALID'],
    ['a missing fingerprint', (e) => delete keysOf(e)[0]!['fingerprint'], 'ERR_KEYRING_SITE_KEY_FIELD_INVALID'],
    ['an empty fingerprint', (e) => (keysOf(e)[0]!['fingerprint'] = ''), 'ERR_KEYRING_SITE_KEY_FIELD_INVALID'],
    ['a fingerprint with a space', (e) => (keysOf(e)[0]!['fingerprint'] = 'a b'), 'ERR_KEYRING_SITE_KEY_FIELD_INVALID'],
    ['a numeric fingerprint', (e) => (keysOf(e)[0]!['fingerprint'] = 42), 'ERR_KEYRING_SITE_KEY_FIELD_INVALID'],
    ['a missing value', (e) => delete keysOf(e)[0]!['value'], 'ERR_KEYRING_SITE_KEY_FIELD_INVALID'],
    ['an empty value', (e) => (keysOf(e)[0]!['value'] = ''), 'ERR_KEYRING_SITE_KEY_FIELD_INVALID'],
    ['an oversized value', (e) => (keysOf(e)[0]!['value'] = 'v'.repeat(4097)), 'ERR_KEYRING_SITE_KEY_FIELD_INVALID'],
    ['a missing valid_after', (e) => delete keysOf(e)[0]!['valid_after'], 'ERR_KEYRING_SITE_KEY_FIELD_INVALID'],
    ['a numeric valid_until', (e) => (keysOf(e)[1]!['valid_until'] = 1_720_656_000_000), 'ERR_KEYRING_SITE_KEY_FIELD_INVALID'],
    ['an unreadable valid_after', (e) => (keysOf(e)[0]!['valid_after'] = '2024-06-11T00:00:100Z'), 'ERR_KEYRING_SITE_TIMESTAMP_INVALID'],
    ['a valid_until without zone', (e) => (keysOf(e)[1]!['valid_until'] = '2024-08-11T00:00:00'), 'ERR_KEYRING_SITE_TIMESTAMP_INVALID'],
    ['valid_until before valid_after', (e) => (keysOf(e)[0]!['valid_until'] = '2024-06-10T00:00:00Z'), 'ERR_KEYRING_SITE_VALIDITY_INVERTED'],
    ['valid_until equal to valid_after', (e) => (keysOf(e)[0]!['valid_until'] = '2024-06-11T00:00:00.000Z'), 'ERR_KEYRING_SITE_VALIDITY_INVERTED'],
  ])('makes the whole object invalid for %s', (_why, edit, code) => {
    const error = failure(() => parseSiteSecurity(withEntry(edit)));
    expect(error.code).toBe(code);
    expect(isSiteInvalidError(error)).toBe(true);
  });

  it('keeps the timestamp error as the cause of a site timestamp error', () => {
    const error = failure(() => parseSiteSecurity(withEntry((e) => (keysOf(e)[0]!['valid_after'] = 'soon'))));
    expect((error.cause as KeyringError).code).toBe('ERR_KEYRING_TIMESTAMP_INVALID');
  });

  it('never puts a key value in an error message', () => {
    const value = 'TOP-SECRET-VALUE-1234';
    const edits: Array<(entry: Mutable) => void> = [
      (e) => (keysOf(e)[0]!['valid_after'] = value),
      (e) => (keysOf(e)[0]!['valid_until'] = '2024-01-01T00:00:00Z'),
      (e) => (keysOf(e)[1]!['fingerprint'] = keysOf(e)[0]!['fingerprint']),
      (e) => keysOf(e).push({ ...keysOf(e)[0]!, fingerprint: 'z' }),
      (e) => (keysOf(e)[0]!['fingerprint'] = value + ' '),
    ];
    for (const edit of edits) {
      const error = failure(() =>
        parseSiteSecurity(
          withEntry((entry) => {
            for (const key of keysOf(entry)) key['value'] = value;
            edit(entry);
          }),
        ),
      );
      expect(error.message).not.toContain(value);
      expect(String(error.stack)).not.toContain(value);
    }
  });

  it('throws TypeError for an empty service name (programmer misuse)', () => {
    expect(() => parseSiteSecurity(seedSiteObject(), '')).toThrow(TypeError);
  });
});

import { deriveAleKey, toAesKeyObject } from '@pos-link/crypto';
import type { CachedSite, KeyLookup, SiteKey } from '@pos-link/keyring';
import { encryptionKeyFor } from './encryption-key';

const T = 1_700_000_000_000;

function lookup(fingerprint: string, validAfter: number, validUntil: number): KeyLookup {
  const key: SiteKey = { fingerprint, value: `value-${fingerprint}`, validAfter, validUntil };
  return { siteId: 's', key, material: toAesKeyObject(deriveAleKey(key.value)) };
}

function site(...keys: KeyLookup[]): CachedSite {
  return { siteId: 's', encryption: true, fetchedAt: T, refreshEpoch: 0, keys };
}

describe('encryptionKeyFor (DESIGN §2/§4 encryption rule)', () => {
  const old = lookup('old', T - 1000, T + 1000);
  const current = lookup('current', T - 500, T + 5000);

  it("uses the client's own key while it may encrypt, even when a newer one exists", () => {
    expect(encryptionKeyFor(site(old, current), T, 'old')).toBe(old);
  });

  it('otherwise the encrypt-capable key with the latest valid_after', () => {
    expect(encryptionKeyFor(site(old, current), T, undefined)).toBe(current);
    expect(encryptionKeyFor(site(current, old), T, 'unknown')).toBe(current);
  });

  it('no grace and no skew: at valid_until the client key is out, before valid_after a key is not in', () => {
    expect(encryptionKeyFor(site(old, current), T + 1000, 'old')).toBe(current);
    const future = lookup('future', T + 1, T + 9000);
    expect(encryptionKeyFor(site(old, future), T, 'future')).toBe(old);
  });

  it('none when no key may encrypt or the site is unknown', () => {
    expect(encryptionKeyFor(site(old), T + 2000, 'old')).toBeUndefined();
    expect(encryptionKeyFor(undefined, T, 'old')).toBeUndefined();
  });
});

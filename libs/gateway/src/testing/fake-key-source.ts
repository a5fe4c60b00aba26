import { deriveAleKey, toAesKeyObject } from '@pos-link/crypto';
import type { CachedSite, KeyLookup, SiteKey } from '@pos-link/keyring';
import type { KeySource } from '../ale/key-source';

/** One site of a {@link FakeKeySource}. */
export interface FakeSite {
  readonly siteId: string;
  readonly encryption?: boolean;
  readonly keys?: readonly SiteKey[];
}

/**
 * An in-memory `KeySource` for unit tests: sites are set up front, `arriving` keys appear when the site
 * they belong to is refreshed (a key the Portal just rotated in), and refreshes are recorded.
 */
export class FakeKeySource implements KeySource {
  /** Site ids whose refresh was requested, in order. */
  readonly refreshes: string[] = [];
  /** Fingerprints `lookupOrLoad` was asked for. */
  readonly loads: string[] = [];
  readonly #sites = new Map<string, CachedSite>();
  readonly #byFingerprint = new Map<string, KeyLookup>();
  readonly #arriving = new Map<string, FakeSite>();

  /** @param sites the cached sites */
  constructor(sites: readonly FakeSite[] = []) {
    for (const site of sites) this.put(site);
  }

  /** Adds or replaces a cached site. */
  put(site: FakeSite): void {
    const keys = (site.keys ?? []).map((key) => Object.freeze({ siteId: site.siteId, key, material: toAesKeyObject(deriveAleKey(key.value)) }));
    this.#sites.set(site.siteId, { siteId: site.siteId, encryption: site.encryption ?? true, fetchedAt: 0, refreshEpoch: 0, keys });
    for (const lookup of keys) this.#byFingerprint.set(lookup.key.fingerprint, lookup);
  }

  /** A site state that becomes visible on its next refresh. */
  arriveOnRefresh(site: FakeSite): void {
    this.#arriving.set(site.siteId, site);
  }

  lookup(fingerprint: string): KeyLookup | undefined {
    return this.#byFingerprint.get(fingerprint);
  }

  site(siteId: string): CachedSite | undefined {
    return this.#sites.get(siteId);
  }

  async refreshAndWait(siteId: string): Promise<boolean> {
    this.refreshes.push(siteId);
    const next = this.#arriving.get(siteId);
    if (next === undefined) return false;
    this.#arriving.delete(siteId);
    this.put(next);
    return true;
  }

  async lookupOrLoad(fingerprint: string): Promise<KeyLookup | undefined> {
    this.loads.push(fingerprint);
    return this.#byFingerprint.get(fingerprint);
  }
}

import { canDecrypt, type KeyLookup } from '@pos-link/keyring';
import { GatewayError } from '../errors/gateway-error';
import type { KeySource } from './key-source';

/** Options of {@link KeySelector}. */
export interface KeySelectorOptions {
  /** `KEY_SKEW_MS`: a key may decrypt this long before `validAfter`. */
  readonly skewMs: number;
  /** `KEY_GRACE_MS`: a key may decrypt this long after `validUntil`. */
  readonly graceMs: number;
  /** `ALE_REFRESH_WAIT_MS`: how long an unknown fingerprint waits for the on-demand refresh. */
  readonly refreshWaitMs: number;
}

/** Where the fingerprint must lead (from `SiteResolver`). */
export interface KeyTarget {
  /** The site the path prefix addresses: the key must belong to it. */
  readonly prefixSiteId: string | undefined;
  /** The site to refresh when the fingerprint is unknown; undefined = no refresh. */
  readonly refreshSiteId: string | undefined;
}

/**
 * Key selection (DESIGN §2/§3): the fingerprint selects exactly one key — never a trial of several (GCM is
 * not key-committing). An unknown fingerprint triggers one rate-limited refresh of the addressed site and a
 * bounded wait, then one read of the store's fingerprint index; still unknown → errorCode 2. A known key of
 * another site than the prefix addresses, or outside its decrypt validity → errorCode 3.
 */
export class KeySelector {
  readonly #keys: KeySource;
  readonly #options: KeySelectorOptions;

  /**
   * @param keys the key source
   * @param options validity tolerances and the refresh wait
   */
  constructor(keys: KeySource, options: KeySelectorOptions) {
    this.#keys = keys;
    this.#options = options;
  }

  /**
   * The cached key of a fingerprint, or undefined (then {@link find} refreshes and waits). Synchronous so
   * the hot path of a known fingerprint costs no promise (DESIGN §7).
   */
  cached(fingerprint: string): KeyLookup | undefined {
    return this.#keys.lookup(fingerprint);
  }

  /**
   * The key a fingerprint names, if it is known (after the refresh, see the class comment).
   * @throws GatewayError `ERR_GATEWAY_FINGERPRINT_UNKNOWN` (errorCode 2)
   */
  async find(fingerprint: string, refreshSiteId: string | undefined): Promise<KeyLookup> {
    const cached = this.#keys.lookup(fingerprint);
    if (cached !== undefined) return cached;
    if (refreshSiteId !== undefined) {
      const changed = await this.#keys.refreshAndWait(refreshSiteId, this.#options.refreshWaitMs, fingerprint);
      const refreshed = changed ? this.#keys.lookup(fingerprint) : undefined;
      if (refreshed !== undefined) return refreshed;
    }
    const loaded = await this.#keys.lookupOrLoad(fingerprint);
    if (loaded === undefined) throw new GatewayError('ERR_GATEWAY_FINGERPRINT_UNKNOWN');
    return loaded;
  }

  /**
   * Checks that a found key may serve this request at `now`.
   * @throws GatewayError `ERR_GATEWAY_SITE_MISMATCH` or `ERR_GATEWAY_KEY_NOT_VALID` (errorCode 3)
   */
  check(key: KeyLookup, prefixSiteId: string | undefined, now: number): void {
    if (prefixSiteId !== undefined && key.siteId !== prefixSiteId) throw new GatewayError('ERR_GATEWAY_SITE_MISMATCH');
    if (!canDecrypt(key.key, now, this.#options.skewMs, this.#options.graceMs)) throw new GatewayError('ERR_GATEWAY_KEY_NOT_VALID');
  }

  /** {@link find} then {@link check}. */
  async select(fingerprint: string, target: KeyTarget, now: () => number): Promise<KeyLookup> {
    const key = await this.find(fingerprint, target.refreshSiteId);
    this.check(key, target.prefixSiteId, now());
    return key;
  }
}

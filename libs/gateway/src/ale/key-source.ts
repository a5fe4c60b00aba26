import type { CachedSite, KeyLookup } from '@pos-link/keyring';

/**
 * What the ALE verification reads keys through: the gateway's view of the key store (`GatewayKeys` in
 * production, wrapping `KeyCache`). Lookups are synchronous map reads; only the unknown-fingerprint path
 * (DESIGN §3) waits.
 */
export interface KeySource {
  /** The key with this fingerprint, or undefined. Never waits. */
  lookup(fingerprint: string): KeyLookup | undefined;
  /** One site's cached state (its `encryption` flag), or undefined when unknown. */
  site(siteId: string): CachedSite | undefined;
  /**
   * Asks key-sync to refresh `siteId` from the Portal now (rate-limited) and resolves true once `fingerprint`
   * is known or a listing of the site fetched after this request has been applied (whether or not it holds
   * the fingerprint), false after `waitMs`. A fetch already under way when the request was made does not end
   * the wait unless it brought the fingerprint: it may predate a key rotation (docs/specs/key-sync.md §7).
   */
  refreshAndWait(siteId: string, waitMs: number, fingerprint: string): Promise<boolean>;
  /** {@link lookup}, then one read of the store's fingerprint index (a key that arrived before its notification). */
  lookupOrLoad(fingerprint: string): Promise<KeyLookup | undefined>;
}

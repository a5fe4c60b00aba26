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
   * Asks key-sync to refresh `siteId` from the Portal now (rate-limited) and resolves once a change of
   * that site has been applied (true) or after `waitMs` (false).
   */
  refreshAndWait(siteId: string, waitMs: number): Promise<boolean>;
  /** {@link lookup}, then one read of the store's fingerprint index (a key that arrived before its notification). */
  lookupOrLoad(fingerprint: string): Promise<KeyLookup | undefined>;
}

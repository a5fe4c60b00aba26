import type { SiteKeys } from './site-key';

/** What {@link KeyStore.replaceSite} did, by fingerprint (fingerprints are public; no values here). */
export interface ReplaceSiteResult {
  /** The site written. */
  readonly siteId: string;
  /** Every fingerprint now stored: the listed ones in the Portal's order, then the retained ones. */
  readonly stored: readonly string[];
  /** Listed fingerprints that were not stored before. */
  readonly added: readonly string[];
  /** Unlisted fingerprints kept because `validUntil + grace` has not passed yet (DESIGN §2). */
  readonly retained: readonly string[];
  /** Unlisted fingerprints removed because `validUntil + grace` has passed. */
  readonly dropped: readonly string[];
}

/** Stops a subscription; resolves once the backend stopped delivering. */
export type Unsubscribe = () => Promise<void>;

/**
 * The key storage seam (DESIGN §1: "the `KeyStore` seam (Redis and in-memory)"). key-sync writes through it,
 * gateways and ingresses read through it (usually via `KeyCache`). `RedisKeyStore` and `MemoryKeyStore`
 * implement the same contract; one test suite runs against both.
 *
 * Change notifications and refresh requests travel through the store too, so one object per backend is all a
 * service needs (standalone mode shares one `MemoryKeyStore`). Both are fire-and-forget pub/sub: a reader
 * that was disconnected resynchronises (the `onResync` callback) instead of replaying.
 */
export interface KeyStore {
  /**
   * Atomically replaces one site's keys with a Portal listing (DESIGN §2): listed keys are stored as given;
   * previously stored keys the listing omits are kept until `validUntil + grace` has passed, then dropped;
   * the site's fingerprint index is updated; a change notification is published after the write.
   *
   * @throws KeyringError `ERR_KEYRING_FINGERPRINT_CONFLICT` when a listed fingerprint belongs to another site
   *   (nothing is written: the site keeps its last good keys)
   * @throws TypeError when `siteKeys` is malformed (it should come from `parseSiteSecurity`)
   */
  replaceSite(siteKeys: SiteKeys): Promise<ReplaceSiteResult>;

  /**
   * One site's stored keys (values unwrapped), or undefined when the site was never written.
   * @throws KeyringError `ERR_KEYRING_STORE_CORRUPT` when the record cannot be read back
   */
  getSite(siteId: string): Promise<SiteKeys | undefined>;

  /** The site a fingerprint belongs to (the cross-site index), or undefined. */
  findSiteByFingerprint(fingerprint: string): Promise<string | undefined>;

  /** Every site written so far, sorted. */
  listSites(): Promise<string[]>;

  /** Removes a site, its fingerprints and publishes a change; false when it was not stored. */
  removeSite(siteId: string): Promise<boolean>;

  /**
   * Calls `onChange(siteId)` for every change notification, from any process sharing the backend. `onResync`
   * is called when notifications may have been missed (reconnect): reload everything. Resolves once
   * subscribed, so a change made after it resolves is always delivered.
   */
  subscribeChanges(onChange: (siteId: string) => void, onResync?: () => void): Promise<Unsubscribe>;

  /** Asks key-sync to refresh a site from the Portal now (DESIGN §2, "refresh a site at once on request"). */
  publishRefreshRequest(siteId: string): Promise<void>;

  /**
   * A reader about to ask for a refresh: advances the site's refresh epoch and returns the new value. A listing
   * whose `refreshEpoch` reached it was fetched after this call (docs/specs/key-sync.md §7).
   */
  beginRefresh(siteId: string): Promise<number>;

  /** The site's refresh epoch now (0 if never advanced): key-sync reads it just before a fetch begins. */
  currentRefreshEpoch(siteId: string): Promise<number>;

  /** Calls `onRequest(siteId)` for every refresh request. Resolves once subscribed. */
  subscribeRefreshRequests(onRequest: (siteId: string) => void): Promise<Unsubscribe>;

  /** Ends every subscription and releases what the store opened itself (never the caller's connection). */
  close(): Promise<void>;
}

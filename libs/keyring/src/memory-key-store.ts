import { KeyringError } from './errors';
import type { KeyStore, ReplaceSiteResult, Unsubscribe } from './key-store';
import { Listeners } from './listeners';
import { planReplacement } from './retention';
import { assertSiteId, assertSiteKeys, isValidFingerprint, type SiteKey, type SiteKeys } from './site-key';
import { DEFAULT_GRACE_MS } from './validity';

/** Options of {@link MemoryKeyStore}. */
export interface MemoryKeyStoreOptions {
  /** How long an unlisted key outlives its `validUntil` before it is dropped (`KEY_GRACE_MS`, default 60 s). */
  readonly graceMs?: number;
  /** The time source (ms since the epoch); tests pass a fake. */
  readonly clock?: () => number;
  /** Called when a subscriber callback throws (the store itself never throws for it). */
  readonly onListenerError?: (error: unknown) => void;
}

/**
 * The in-process {@link KeyStore} for standalone mode (DESIGN §1: "`npm start` runs all three services in
 * one Node process with the in-memory `KeyStore`"). Same contract as `RedisKeyStore`: the values are not
 * wrapped (they never leave the process), notifications are delivered asynchronously (after the write, as
 * Redis pub/sub would), and every object going in or out is copied.
 */
export class MemoryKeyStore implements KeyStore {
  readonly #graceMs: number;
  readonly #clock: () => number;
  readonly #sites = new Map<string, SiteKeys>();
  readonly #refreshEpochs = new Map<string, number>();
  readonly #fingerprints = new Map<string, string>();
  readonly #changes: Listeners<string>;
  readonly #refreshes: Listeners<string>;

  /** @param options grace, clock and listener-error hook */
  constructor(options: MemoryKeyStoreOptions = {}) {
    this.#graceMs = options.graceMs ?? DEFAULT_GRACE_MS;
    if (!Number.isFinite(this.#graceMs) || this.#graceMs < 0) throw new TypeError('graceMs must be >= 0');
    this.#clock = options.clock ?? Date.now;
    this.#changes = new Listeners(options.onListenerError);
    this.#refreshes = new Listeners(options.onListenerError);
  }

  /** {@inheritDoc KeyStore.replaceSite} */
  async replaceSite(siteKeys: SiteKeys): Promise<ReplaceSiteResult> {
    assertSiteKeys(siteKeys);
    const { siteId } = siteKeys;
    for (const key of siteKeys.keys) {
      const owner = this.#fingerprints.get(key.fingerprint);
      if (owner !== undefined && owner !== siteId) {
        throw new KeyringError('ERR_KEYRING_FINGERPRINT_CONFLICT', `${key.fingerprint} belongs to site ${owner}`);
      }
    }
    const previous = this.#sites.get(siteId)?.keys ?? [];
    const plan = planReplacement(siteKeys.keys.map(copyKey), previous, this.#clock(), this.#graceMs);
    this.#sites.set(siteId, {
      siteId,
      encryption: siteKeys.encryption,
      fetchedAt: siteKeys.fetchedAt,
      ...(siteKeys.refreshEpoch ? { refreshEpoch: siteKeys.refreshEpoch } : {}),
      keys: plan.keep,
    });
    for (const fingerprint of plan.dropped) this.#fingerprints.delete(fingerprint);
    for (const key of siteKeys.keys) this.#fingerprints.set(key.fingerprint, siteId);
    this.#changes.emit(siteId);
    return { siteId, stored: plan.keep.map((key) => key.fingerprint), added: plan.added, retained: plan.retained, dropped: plan.dropped };
  }

  /** {@inheritDoc KeyStore.getSite} */
  async getSite(siteId: string): Promise<SiteKeys | undefined> {
    assertSiteId(siteId);
    const site = this.#sites.get(siteId);
    return site === undefined ? undefined : { ...site, keys: site.keys.map(copyKey) };
  }

  /** {@inheritDoc KeyStore.findSiteByFingerprint} */
  async findSiteByFingerprint(fingerprint: string): Promise<string | undefined> {
    return isValidFingerprint(fingerprint) ? this.#fingerprints.get(fingerprint) : undefined;
  }

  /** {@inheritDoc KeyStore.listSites} */
  async listSites(): Promise<string[]> {
    return [...this.#sites.keys()].sort();
  }

  /** {@inheritDoc KeyStore.removeSite} */
  async removeSite(siteId: string): Promise<boolean> {
    assertSiteId(siteId);
    const site = this.#sites.get(siteId);
    if (site === undefined) return false;
    this.#sites.delete(siteId);
    for (const key of site.keys) {
      if (this.#fingerprints.get(key.fingerprint) === siteId) this.#fingerprints.delete(key.fingerprint);
    }
    this.#changes.emit(siteId);
    return true;
  }

  /** {@inheritDoc KeyStore.subscribeChanges} */
  async subscribeChanges(onChange: (siteId: string) => void): Promise<Unsubscribe> {
    // In process nothing can be missed, so `onResync` is never called.
    return this.#changes.add(onChange);
  }

  /** {@inheritDoc KeyStore.publishRefreshRequest} */
  async publishRefreshRequest(siteId: string): Promise<void> {
    assertSiteId(siteId);
    this.#refreshes.emit(siteId);
  }

  /** {@inheritDoc KeyStore.beginRefresh} */
  async beginRefresh(siteId: string): Promise<number> {
    assertSiteId(siteId);
    const epoch = (this.#refreshEpochs.get(siteId) ?? 0) + 1;
    this.#refreshEpochs.set(siteId, epoch);
    return epoch;
  }

  /** {@inheritDoc KeyStore.currentRefreshEpoch} */
  async currentRefreshEpoch(siteId: string): Promise<number> {
    assertSiteId(siteId);
    return this.#refreshEpochs.get(siteId) ?? 0;
  }

  /** {@inheritDoc KeyStore.subscribeRefreshRequests} */
  async subscribeRefreshRequests(onRequest: (siteId: string) => void): Promise<Unsubscribe> {
    return this.#refreshes.add(onRequest);
  }

  /** Drops every subscription (the data stays: standalone services may still read). */
  async close(): Promise<void> {
    this.#changes.clear();
    this.#refreshes.clear();
  }
}

function copyKey(key: SiteKey): SiteKey {
  return { fingerprint: key.fingerprint, value: key.value, validAfter: key.validAfter, validUntil: key.validUntil };
}

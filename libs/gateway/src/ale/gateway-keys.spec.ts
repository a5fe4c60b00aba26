import { MemoryKeyStore, type KeyStore } from '@pos-link/keyring';
import { waitFor } from '@pos-link/platform/testing';
import { GatewayKeys } from './gateway-keys';

const NOW = Date.now();

/** A store whose `listSites` fails while `failing()` says so; everything else is the memory store's. */
function flakyStore(real: MemoryKeyStore, failing: () => boolean): KeyStore {
  return {
    replaceSite: (siteKeys) => real.replaceSite(siteKeys),
    getSite: (siteId) => real.getSite(siteId),
    findSiteByFingerprint: (fingerprint) => real.findSiteByFingerprint(fingerprint),
    listSites: async () => {
      if (failing()) throw new Error('store down');
      return real.listSites();
    },
    removeSite: (siteId) => real.removeSite(siteId),
    subscribeChanges: (onChange) => real.subscribeChanges(onChange),
    publishRefreshRequest: (siteId) => real.publishRefreshRequest(siteId),
    subscribeRefreshRequests: (onRequest) => real.subscribeRefreshRequests(onRequest),
    beginRefresh: (siteId) => real.beginRefresh(siteId),
    currentRefreshEpoch: (siteId) => real.currentRefreshEpoch(siteId),
    close: () => real.close(),
  };
}
const KEY = { fingerprint: 'fp-1', value: 'value one', validAfter: NOW - 1000, validUntil: NOW + 60_000 };

describe('GatewayKeys', () => {
  it('loads the store, serves lookups from memory and knows plaintext sites', async () => {
    const store = new MemoryKeyStore();
    await store.replaceSite({ siteId: 'store-1', encryption: true, fetchedAt: NOW, keys: [KEY] });
    await store.replaceSite({ siteId: 'plain', encryption: false, fetchedAt: NOW, keys: [] });
    const keys = new GatewayKeys({ store });
    expect(keys.isLoaded).toBe(false);
    expect(keys.lookup('fp-1')).toBeUndefined();
    await keys.start();
    expect(keys.isLoaded).toBe(true);
    expect(keys.lookup('fp-1')).toMatchObject({ siteId: 'store-1', key: { fingerprint: 'fp-1' } });
    expect(keys.site('plain')?.encryption).toBe(false);
    expect(keys.siteIds()).toEqual(['plain', 'store-1']);
    await keys.close();
    await store.close();
  });

  it('asks key-sync for a refresh and resolves true once the refreshed site is applied', async () => {
    const store = new MemoryKeyStore();
    await store.replaceSite({ siteId: 'store-1', encryption: true, fetchedAt: NOW, keys: [] });
    const results: string[] = [];
    const keys = new GatewayKeys({ store, refreshRequestIntervalMs: 0, listener: { refreshRequested: (result) => results.push(result) } });
    await keys.start();
    // key-sync's side: answer a refresh request by writing the site
    const unsubscribe = await store.subscribeRefreshRequests((siteId) => {
      void store.replaceSite({ siteId, encryption: true, fetchedAt: Date.now(), keys: [KEY] });
    });
    expect(await keys.refreshAndWait('store-1', 2_000, 'fp-1')).toBe(true);
    expect(keys.lookup('fp-1')?.siteId).toBe('store-1');
    expect(results).toEqual(['published']);
    expect(await keys.refreshAndWait('not a site id!', 10, 'fp-1')).toBe(false);
    await unsubscribe();
    await keys.close();
    await store.close();
  });

  it('keeps retrying a store that fails to load, reporting each attempt, until it loads', async () => {
    const real = new MemoryKeyStore();
    await real.replaceSite({ siteId: 'store-1', encryption: true, fetchedAt: NOW, keys: [KEY] });
    let failures = 2;
    const flaky = flakyStore(real, () => failures-- > 0);
    const attempts: number[] = [];
    const keys = new GatewayKeys({ store: flaky, listener: { loadFailed: (_error, attempt) => attempts.push(attempt) } });
    await keys.start();
    expect(attempts).toEqual([1, 2]);
    expect(keys.lookup('fp-1')).toBeDefined();
    await keys.close();
    await real.close();
  });

  it('stops retrying on close, unloaded', async () => {
    const store = flakyStore(new MemoryKeyStore(), () => true);
    let failed!: () => void;
    const firstFailure = new Promise<void>((resolve) => (failed = resolve));
    const keys = new GatewayKeys({ store, listener: { loadFailed: () => failed() } });
    void keys.start();
    await firstFailure;
    await keys.close();
    expect(keys.isLoaded).toBe(false);
    expect(await keys.refreshAndWait('store-1', 10, 'fp-1')).toBe(false);
  });

  it('a listing from a fetch that began before the request does not end the wait; one fetched after it does', async () => {
    // docs/specs/key-sync.md §7: the Portal rotated while a poll was fetching; the poll's listing lacks the key.
    const store = new MemoryKeyStore();
    await store.replaceSite({ siteId: 'store-1', encryption: true, fetchedAt: NOW, keys: [] });
    const keys = new GatewayKeys({ store, refreshRequestIntervalMs: 0 });
    await keys.start();
    const before = await store.currentRefreshEpoch('store-1'); // the poll read it before the request
    let served = 0;
    const unsubscribe = await store.subscribeRefreshRequests((siteId) => {
      served++;
      // The poll under way lands first (old listing, old epoch); the follow-up fetch a moment later.
      void (async () => {
        const staleFetchedAt = Date.now() + 1;
        await store.replaceSite({ siteId, encryption: true, fetchedAt: staleFetchedAt, keys: [], refreshEpoch: before });
        // The gateway has applied the stale listing (and kept waiting) before the follow-up lands.
        await waitFor('the stale listing applied', () => keys.site(siteId)?.fetchedAt === staleFetchedAt);
        const epoch = await store.currentRefreshEpoch(siteId);
        await store.replaceSite({ siteId, encryption: true, fetchedAt: Date.now(), keys: [KEY], refreshEpoch: epoch });
      })();
    });
    expect(await keys.refreshAndWait('store-1', 2_000, 'fp-1')).toBe(true);
    expect(keys.lookup('fp-1')?.siteId).toBe('store-1');
    expect(served).toBe(1);

    // A guessed fingerprint: the listing fetched after the request ends the wait at once, without it.
    const started = Date.now();
    expect(await keys.refreshAndWait('store-1', 5_000, 'fp-guessed')).toBe(true);
    expect(keys.lookup('fp-guessed')).toBeUndefined();
    expect(Date.now() - started).toBeLessThan(2_000);
    await unsubscribe();
    await keys.close();
    await store.close();
  });
});

import { KeyringError } from './errors';
import { KeyCache } from './key-cache';
import type { KeyStore, ReplaceSiteResult, Unsubscribe } from './key-store';
import { MemoryKeyStore } from './memory-key-store';
import type { SiteKeys } from './site-key';
import { makeSiteKey, makeSiteKeys } from './testing/fixtures';
import { describeKeyCacheContract } from './testing/key-cache-contract';

describeKeyCacheContract('MemoryKeyStore', async () => {
  const store = new MemoryKeyStore();
  return { writer: store, reader: store, close: () => store.close() };
});

/**
 * A reader's view of a MemoryKeyStore whose notifications can be held back (a lost pub/sub message) and
 * whose reads can fail (Redis down), with the resync callback exposed.
 */
class FlakyReader implements KeyStore {
  deliver = true;
  failReads = false;
  listCalls = 0;
  onResync: (() => void) | undefined;
  readonly #inner: MemoryKeyStore;

  constructor(inner: MemoryKeyStore) {
    this.#inner = inner;
  }
  replaceSite(siteKeys: SiteKeys): Promise<ReplaceSiteResult> {
    return this.#inner.replaceSite(siteKeys);
  }
  async getSite(siteId: string): Promise<SiteKeys | undefined> {
    if (this.failReads) throw new KeyringError('ERR_KEYRING_STORE_CORRUPT', `site ${siteId}: test`);
    return this.#inner.getSite(siteId);
  }
  findSiteByFingerprint(fingerprint: string): Promise<string | undefined> {
    return this.#inner.findSiteByFingerprint(fingerprint);
  }
  listSites(): Promise<string[]> {
    this.listCalls += 1;
    return this.#inner.listSites();
  }
  removeSite(siteId: string): Promise<boolean> {
    return this.#inner.removeSite(siteId);
  }
  subscribeChanges(onChange: (siteId: string) => void, onResync?: () => void): Promise<Unsubscribe> {
    this.onResync = onResync;
    return this.#inner.subscribeChanges((siteId) => this.deliver && onChange(siteId));
  }
  publishRefreshRequest(siteId: string): Promise<void> {
    return this.#inner.publishRefreshRequest(siteId);
  }
  subscribeRefreshRequests(onRequest: (siteId: string) => void): Promise<Unsubscribe> {
    return this.#inner.subscribeRefreshRequests(onRequest);
  }
  beginRefresh(siteId: string): Promise<number> {
    return this.#inner.beginRefresh(siteId);
  }
  currentRefreshEpoch(siteId: string): Promise<number> {
    return this.#inner.currentRefreshEpoch(siteId);
  }
  close(): Promise<void> {
    return this.#inner.close();
  }
}

describe('KeyCache', () => {
  let store: MemoryKeyStore;
  let reader: FlakyReader;
  let cache: KeyCache;
  let errors: Array<{ error: unknown; siteId?: string }>;

  beforeEach(() => {
    store = new MemoryKeyStore();
    reader = new FlakyReader(store);
    errors = [];
    cache = new KeyCache(reader, { resyncIntervalMs: 0, onError: (error, siteId) => errors.push({ error, siteId }) });
  });
  afterEach(() => cache.close());

  it('lookupOrLoad falls back to the store when a notification was lost', async () => {
    await cache.start();
    reader.deliver = false;
    const key = makeSiteKey();
    await store.replaceSite(makeSiteKeys('s1', [key]));
    expect(cache.lookup(key.fingerprint)).toBeUndefined();
    expect((await cache.lookupOrLoad(key.fingerprint))?.key).toEqual(key);
    expect(cache.lookup(key.fingerprint)?.siteId).toBe('s1');
  });

  it('a failed reload keeps the last good keys and reports the error with the site id', async () => {
    const key = makeSiteKey();
    await store.replaceSite(makeSiteKeys('s1', [key]));
    await cache.start();
    reader.failReads = true;
    const changed = cache.waitForChange('s1', 1000);
    await store.replaceSite(makeSiteKeys('s1', [makeSiteKey()]));
    expect(await changed).toBe(true);
    expect(cache.lookup(key.fingerprint)?.key).toEqual(key);
    expect(errors).toHaveLength(1);
    expect(errors[0]!.siteId).toBe('s1');
    expect((errors[0]!.error as KeyringError).code).toBe('ERR_KEYRING_STORE_CORRUPT');
  });

  it('lookupOrLoad reports a failing store and answers a miss', async () => {
    await cache.start();
    reader.deliver = false;
    const key = makeSiteKey();
    await store.replaceSite(makeSiteKeys('s1', [key]));
    reader.failReads = true;
    expect(await cache.lookupOrLoad(key.fingerprint)).toBeUndefined();
    expect(errors).toHaveLength(1);
  });

  it('reloadAll picks up missed changes and forgets removed sites', async () => {
    const gone = makeSiteKey();
    await store.replaceSite(makeSiteKeys('gone', [gone]));
    await cache.start();
    reader.deliver = false;
    const added = makeSiteKey();
    await store.replaceSite(makeSiteKeys('added', [added]));
    await store.removeSite('gone');
    await cache.reloadAll();
    expect(cache.lookup(added.fingerprint)?.siteId).toBe('added');
    expect(cache.lookup(gone.fingerprint)).toBeUndefined();
    expect(cache.siteIds()).toEqual(['added']);
  });

  it('the store resync signal (a reconnect) reloads everything', async () => {
    await cache.start();
    const before = reader.listCalls;
    reader.onResync!();
    expect(reader.listCalls).toBe(before + 1);
  });

  it('waitForChange ignores a notification that arrived before the call', async () => {
    await store.replaceSite(makeSiteKeys('s1', [makeSiteKey()]));
    await cache.start();
    await store.replaceSite(makeSiteKeys('s1', [makeSiteKey()])); // its notification is already delivered
    expect(await cache.waitForChange('s1', 30)).toBe(false);
  });

  it('keeps the refresh epoch of the listing it holds', async () => {
    await store.replaceSite({ ...makeSiteKeys('s1', [makeSiteKey()]), refreshEpoch: 7 });
    await store.replaceSite(makeSiteKeys('s2', [makeSiteKey()]));
    await cache.start();
    expect(cache.site('s1')?.refreshEpoch).toBe(7);
    expect(cache.site('s2')?.refreshEpoch).toBe(0);
  });

  it('waitUntil resolves as soon as its condition holds — now, or after an applied change — and false at its bound', async () => {
    await store.replaceSite(makeSiteKeys('s1', [makeSiteKey()]));
    await cache.start();
    expect(await cache.waitUntil('s1', () => true, 10_000)).toBe(true);
    const key = makeSiteKey();
    const seen = cache.waitUntil('s1', () => cache.lookup(key.fingerprint) !== undefined, 2_000);
    await store.replaceSite(makeSiteKeys('s1', [makeSiteKey()])); // a change without it: still waiting
    await store.replaceSite(makeSiteKeys('s1', [key]));
    expect(await seen).toBe(true);
    expect(await cache.waitUntil('s1', () => false, 20)).toBe(false);
    expect(() => cache.waitUntil('s1', undefined as unknown as () => boolean, 1)).toThrow(TypeError);
  });

  it('start is idempotent', async () => {
    const first = cache.start();
    expect(cache.start()).toBe(first);
    await first;
  });

  it('rejects bad arguments with TypeError', () => {
    expect(() => new KeyCache(store, { resyncIntervalMs: -1 })).toThrow(TypeError);
    expect(() => new KeyCache(store, { siteIds: ['a/b'] })).toThrow(TypeError);
    expect(() => cache.waitForChange('s1', Number.NaN)).toThrow(TypeError);
    expect(() => cache.waitForChange('bad site', 1)).toThrow(TypeError);
  });
});

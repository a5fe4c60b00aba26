import { KeyObject, createHash } from 'node:crypto';
import { KeyCache } from '../key-cache';
import type { KeyStore } from '../key-store';
import { makeSiteKey, makeSiteKeys } from './fixtures';

/** A writer (key-sync) and a reader (a gateway's store) on one backend. */
export interface KeyCacheHarness {
  readonly writer: KeyStore;
  readonly reader: KeyStore;
  close(): Promise<void>;
}

/** Known answer: SHA-256(UTF-8("secret")), the seed 001 example value (DESIGN §2: K = SHA-256(value)). */
const SECRET_MATERIAL_HEX = '2bb80d537b1da3e38bd30361aa855686bde0eacd7162fef6a25fe97bf527a25b';

/** DESIGN §2 / §7: "Changes reach every gateway replica in under one second". */
const VISIBILITY_BUDGET_MS = 1000;

/** The `KeyCache` behaviour every store backend must give. */
export function describeKeyCacheContract(name: string, open: () => Promise<KeyCacheHarness>): void {
  describe(`KeyCache contract: ${name}`, () => {
    let harness: KeyCacheHarness;
    let cache: KeyCache;
    const errors: unknown[] = [];

    beforeEach(async () => {
      harness = await open();
      errors.length = 0;
    });
    afterEach(async () => {
      await cache?.close();
      await harness.close();
    });

    const startCache = async (siteIds?: string[]): Promise<KeyCache> => {
      cache = new KeyCache(harness.reader, { siteIds, onError: (error) => errors.push(error) });
      await cache.start();
      return cache;
    };

    it('start loads every site; lookup gives the site, the key and K = SHA-256(value)', async () => {
      const seedKey = makeSiteKey({ fingerprint: 'b6e4b70983144e192bd7eea24c698f54', value: 'secret' });
      const other = makeSiteKey();
      await harness.writer.replaceSite(makeSiteKeys('store-1', [seedKey]));
      await harness.writer.replaceSite(makeSiteKeys('store-2', [other], { encryption: false }));
      await startCache();
      const hit = cache.lookup(seedKey.fingerprint);
      expect(hit?.siteId).toBe('store-1');
      expect(hit?.key).toEqual(seedKey);
      expect(hit?.material.export().toString('hex')).toBe(SECRET_MATERIAL_HEX);
      expect(cache.lookup(other.fingerprint)?.siteId).toBe('store-2');
      expect(cache.site('store-2')?.encryption).toBe(false);
      expect(cache.siteIds()).toEqual(['store-1', 'store-2']);
      expect(cache.lookup('unknown')).toBeUndefined();
    });

    it('a rotation written by key-sync is visible to the reader in under one second', async () => {
      const first = makeSiteKey();
      await harness.writer.replaceSite(makeSiteKeys('s1', [first]));
      await startCache();
      const next = makeSiteKey();
      const changed = cache.waitForChange('s1', VISIBILITY_BUDGET_MS);
      const started = performance.now();
      await harness.writer.replaceSite(makeSiteKeys('s1', [first, next]));
      expect(await changed).toBe(true);
      expect(performance.now() - started).toBeLessThan(VISIBILITY_BUDGET_MS);
      expect(cache.lookup(next.fingerprint)?.key).toEqual(next);
      expect(cache.site('s1')?.keys.map((k) => k.key.fingerprint)).toEqual([first.fingerprint, next.fingerprint]);
    });

    it('a site appearing after start is picked up from its notification', async () => {
      await startCache();
      const key = makeSiteKey();
      const changed = cache.waitForChange('late', VISIBILITY_BUDGET_MS);
      await harness.writer.replaceSite(makeSiteKeys('late', [key]));
      expect(await changed).toBe(true);
      expect(cache.lookup(key.fingerprint)?.siteId).toBe('late');
    });

    it('a dropped key and a removed site disappear from lookups', async () => {
      const old = makeSiteKey({ validAfter: Date.now() - 10_000_000, validUntil: Date.now() - 5_000_000 });
      const current = makeSiteKey();
      await harness.writer.replaceSite(makeSiteKeys('s1', [old, current]));
      await startCache();
      expect(cache.lookup(old.fingerprint)).toBeDefined();
      let changed = cache.waitForChange('s1', VISIBILITY_BUDGET_MS);
      await harness.writer.replaceSite(makeSiteKeys('s1', [current])); // old is past grace: dropped
      expect(await changed).toBe(true);
      expect(cache.lookup(old.fingerprint)).toBeUndefined();
      changed = cache.waitForChange('s1', VISIBILITY_BUDGET_MS);
      await harness.writer.removeSite('s1');
      expect(await changed).toBe(true);
      expect(cache.lookup(current.fingerprint)).toBeUndefined();
      expect(cache.site('s1')).toBeUndefined();
    });

    it('key material is derived once per fingerprint: a reload with the same value reuses it', async () => {
      const key = makeSiteKey();
      await harness.writer.replaceSite(makeSiteKeys('s1', [key]));
      await startCache();
      const before = cache.lookup(key.fingerprint)?.material;
      expect(before).toBeInstanceOf(KeyObject);
      const changed = cache.waitForChange('s1', VISIBILITY_BUDGET_MS);
      await harness.writer.replaceSite(makeSiteKeys('s1', [key, makeSiteKey()]));
      expect(await changed).toBe(true);
      expect(cache.lookup(key.fingerprint)?.material).toBe(before);
    });

    it('a value change under the same fingerprint gives new material', async () => {
      const key = makeSiteKey({ value: 'secret' });
      await harness.writer.replaceSite(makeSiteKeys('s1', [key]));
      await startCache();
      const changed = cache.waitForChange('s1', VISIBILITY_BUDGET_MS);
      await harness.writer.replaceSite(makeSiteKeys('s1', [{ ...key, value: 'secret2' }]));
      expect(await changed).toBe(true);
      expect(cache.lookup(key.fingerprint)?.material.export().toString('hex')).toBe(
        createHash('sha256').update('secret2').digest('hex'),
      );
    });

    it('lookupOrLoad finds a key written a moment ago', async () => {
      await startCache();
      const key = makeSiteKey();
      await harness.writer.replaceSite(makeSiteKeys('s1', [key]));
      expect((await cache.lookupOrLoad(key.fingerprint))?.siteId).toBe('s1');
      expect(await cache.lookupOrLoad('no-such-fingerprint')).toBeUndefined();
      expect(await cache.lookupOrLoad('not a fingerprint')).toBeUndefined();
    });

    it('a cache limited to some sites ignores the others', async () => {
      const mine = makeSiteKey();
      const theirs = makeSiteKey();
      await harness.writer.replaceSite(makeSiteKeys('mine', [mine]));
      await harness.writer.replaceSite(makeSiteKeys('theirs', [theirs]));
      await startCache(['mine']);
      expect(cache.lookup(mine.fingerprint)).toBeDefined();
      expect(cache.lookup(theirs.fingerprint)).toBeUndefined();
      expect(await cache.lookupOrLoad(theirs.fingerprint)).toBeUndefined();
      expect(await cache.waitForChange('theirs', VISIBILITY_BUDGET_MS)).toBe(false);
      expect(cache.siteIds()).toEqual(['mine']);
    });

    it('encryptionKey prefers the client key while it can encrypt, else the newest', async () => {
      const now = Date.now();
      const previous = makeSiteKey({ validAfter: now - 7_200_000, validUntil: now + 600_000 });
      const current = makeSiteKey({ validAfter: now - 60_000, validUntil: now + 7_200_000 });
      await harness.writer.replaceSite(makeSiteKeys('s1', [previous, current]));
      await startCache();
      expect(cache.encryptionKey('s1', now)?.key.fingerprint).toBe(current.fingerprint);
      expect(cache.encryptionKey('s1', now, previous.fingerprint)?.key.fingerprint).toBe(previous.fingerprint);
      expect(cache.encryptionKey('s1', now + 600_000, previous.fingerprint)?.key.fingerprint).toBe(current.fingerprint);
      expect(cache.encryptionKey('s1', now + 7_200_000)).toBeUndefined();
      expect(cache.encryptionKey('nowhere', now)).toBeUndefined();
    });

    it('waitForChange resolves false when nothing changes within the timeout', async () => {
      await harness.writer.replaceSite(makeSiteKeys('s1', [makeSiteKey()]));
      await startCache();
      expect(await cache.waitForChange('s1', 20)).toBe(false);
    });

    it('close resolves pending waits with false and forgets every key', async () => {
      const key = makeSiteKey();
      await harness.writer.replaceSite(makeSiteKeys('s1', [key]));
      await startCache();
      const pending = cache.waitForChange('s1', 10_000);
      await cache.close();
      expect(await pending).toBe(false);
      expect(cache.lookup(key.fingerprint)).toBeUndefined();
    });
  });
}

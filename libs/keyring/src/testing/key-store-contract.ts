import { KeyringError } from '../errors';
import type { KeyStore } from '../key-store';
import type { SiteKeys } from '../site-key';
import { ChannelProbe } from './channel-probe';
import { makeSiteKey, makeSiteKeys } from './fixtures';

/** A store under test plus a second one on the same backend (another process, for Redis). */
export interface KeyStoreHarness {
  readonly store: KeyStore;
  readonly peer: KeyStore;
  /** Closes both stores and removes everything the run wrote. */
  close(): Promise<void>;
}

/** How a contract run opens stores: `clock` and `graceMs` must be honoured by both. */
export type OpenKeyStore = (options: { clock: () => number; graceMs: number }) => Promise<KeyStoreHarness>;

const T0 = Date.UTC(2024, 6, 4);
const HOUR = 3_600_000;
const GRACE = 60_000;

async function refusal(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('expected a rejection');
}

/**
 * The one `KeyStore` contract (issue "key-sync": "write the contract spec once, run it for `MemoryKeyStore`
 * and `RedisKeyStore`"). Site ids are unique per test so a shared Redis prefix stays clean between tests.
 */
export function describeKeyStoreContract(name: string, open: OpenKeyStore): void {
  describe(`KeyStore contract: ${name}`, () => {
    let now = T0;
    let harness: KeyStoreHarness;
    let store: KeyStore;
    let peer: KeyStore;
    let n = 0;
    const site = (): string => `site-${++n}`;

    beforeEach(async () => {
      now = T0;
      harness = await open({ clock: () => now, graceMs: GRACE });
      ({ store, peer } = harness);
    });
    afterEach(async () => harness.close());

    it('beginRefresh advances a per-site epoch every store on the backend reads; a write keeps the epoch it carries', async () => {
      const id = site();
      expect(await store.currentRefreshEpoch(id)).toBe(0);
      expect(await store.beginRefresh(id)).toBe(1);
      expect(await peer.beginRefresh(id)).toBe(2);
      expect(await store.currentRefreshEpoch(id)).toBe(2);
      expect(await peer.currentRefreshEpoch(site())).toBe(0); // per site
      await store.replaceSite({ ...makeSiteKeys(id, [makeSiteKey({ now })], { fetchedAt: now }), refreshEpoch: 2 });
      expect((await peer.getSite(id))?.refreshEpoch).toBe(2);
      await store.replaceSite(makeSiteKeys(id, [makeSiteKey({ now })], { fetchedAt: now }));
      expect((await peer.getSite(id))?.refreshEpoch).toBeUndefined();
    });

    it('getSite / listSites / findSiteByFingerprint know nothing before a write', async () => {
      expect(await store.getSite('never-written')).toBeUndefined();
      expect(await store.listSites()).toEqual([]);
      expect(await store.findSiteByFingerprint('b6e4b70983144e192bd7eea24c698f54')).toBeUndefined();
      expect(await store.findSiteByFingerprint('not a fingerprint')).toBeUndefined();
    });

    it('replaceSite stores the keys; every store on the backend reads them back', async () => {
      const id = site();
      const keys = [makeSiteKey({ now }), makeSiteKey({ now, validAfter: now + HOUR })];
      const input = makeSiteKeys(id, keys, { fetchedAt: now });
      const result = await store.replaceSite(input);
      expect(result).toEqual({
        siteId: id,
        stored: keys.map((k) => k.fingerprint),
        added: keys.map((k) => k.fingerprint),
        retained: [],
        dropped: [],
      });
      for (const reader of [store, peer]) {
        expect(await reader.getSite(id)).toEqual(input);
        expect(await reader.listSites()).toEqual([id]);
        for (const key of keys) expect(await reader.findSiteByFingerprint(key.fingerprint)).toBe(id);
      }
    });

    it('replaceSite keeps a listed key whatever its validity (errorCode 3, not 2)', async () => {
      const id = site();
      const expired = makeSiteKey({ validAfter: now - 10 * HOUR, validUntil: now - 5 * HOUR });
      const future = makeSiteKey({ validAfter: now + 5 * HOUR });
      await store.replaceSite(makeSiteKeys(id, [expired, future], { fetchedAt: now }));
      expect((await peer.getSite(id))?.keys).toEqual([expired, future]);
    });

    it('replaceSite retains an unlisted key until validUntil + grace, then drops it and frees its fingerprint', async () => {
      const id = site();
      const previous = makeSiteKey({ validAfter: now - 10 * HOUR, validUntil: now + HOUR });
      const current = makeSiteKey({ validAfter: now - HOUR, validUntil: now + 10 * HOUR });
      await store.replaceSite(makeSiteKeys(id, [previous, current], { fetchedAt: now }));

      // The Portal stops listing `previous` while clients may still use it.
      const next = makeSiteKey({ validAfter: now + HOUR, validUntil: now + 20 * HOUR });
      now = previous.validUntil + GRACE - 1;
      const kept = await store.replaceSite(makeSiteKeys(id, [current, next], { fetchedAt: now }));
      expect(kept).toEqual({
        siteId: id,
        stored: [current.fingerprint, next.fingerprint, previous.fingerprint],
        added: [next.fingerprint],
        retained: [previous.fingerprint],
        dropped: [],
      });
      expect((await peer.getSite(id))?.keys).toEqual([current, next, previous]);
      expect(await peer.findSiteByFingerprint(previous.fingerprint)).toBe(id);

      now = previous.validUntil + GRACE;
      const dropped = await store.replaceSite(makeSiteKeys(id, [current, next], { fetchedAt: now }));
      expect(dropped.dropped).toEqual([previous.fingerprint]);
      expect(dropped.retained).toEqual([]);
      expect((await peer.getSite(id))?.keys).toEqual([current, next]);
      expect(await peer.findSiteByFingerprint(previous.fingerprint)).toBeUndefined();
    });

    it('replaceSite takes a relisted fingerprint with its new value and validity', async () => {
      const id = site();
      const key = makeSiteKey({ now });
      await store.replaceSite(makeSiteKeys(id, [key]));
      const changed = { ...key, value: 'another value', validUntil: key.validUntil + HOUR };
      const result = await store.replaceSite(makeSiteKeys(id, [changed]));
      expect(result.added).toEqual([]);
      expect((await peer.getSite(id))?.keys).toEqual([changed]);
    });

    it('replaceSite with encryption false stores the flag and still retains keys in grace', async () => {
      const id = site();
      const key = makeSiteKey({ now });
      await store.replaceSite(makeSiteKeys(id, [key]));
      const result = await store.replaceSite(makeSiteKeys(id, [], { encryption: false, fetchedAt: now + 1 }));
      expect(result.retained).toEqual([key.fingerprint]);
      expect(await peer.getSite(id)).toEqual({ siteId: id, encryption: false, fetchedAt: now + 1, keys: [key] });
    });

    it('replaceSite refuses a fingerprint of another site with ERR_KEYRING_FINGERPRINT_CONFLICT and writes nothing', async () => {
      const owner = site();
      const other = site();
      const shared = makeSiteKey({ now });
      await store.replaceSite(makeSiteKeys(owner, [shared]));
      const otherOld = makeSiteKey({ now });
      await store.replaceSite(makeSiteKeys(other, [otherOld]));
      const fresh = makeSiteKey({ now });

      const error = await refusal(peer.replaceSite(makeSiteKeys(other, [fresh, shared])));
      expect(error).toBeInstanceOf(KeyringError);
      expect((error as KeyringError).code).toBe('ERR_KEYRING_FINGERPRINT_CONFLICT');
      expect((error as KeyringError).message).not.toContain(shared.value);
      expect((await store.getSite(other))?.keys).toEqual([otherOld]);
      expect(await store.findSiteByFingerprint(fresh.fingerprint)).toBeUndefined();
      expect(await store.findSiteByFingerprint(shared.fingerprint)).toBe(owner);
      expect((await store.getSite(owner))?.keys).toEqual([shared]);
    });

    it('a fingerprint dropped by one site may then be listed by another', async () => {
      const first = site();
      const second = site();
      const key = makeSiteKey({ validAfter: now - 2 * HOUR, validUntil: now - HOUR });
      await store.replaceSite(makeSiteKeys(first, [key]));
      await store.replaceSite(makeSiteKeys(first, [])); // past grace: dropped at once
      await store.replaceSite(makeSiteKeys(second, [key]));
      expect(await peer.findSiteByFingerprint(key.fingerprint)).toBe(second);
    });

    it('concurrent replaceSite of two sites claiming one new fingerprint: exactly one wins', async () => {
      const key = makeSiteKey({ now });
      const ids = [site(), site()];
      const outcomes = await Promise.allSettled(ids.map((id) => store.replaceSite(makeSiteKeys(id, [key]))));
      const winners = outcomes.filter((o) => o.status === 'fulfilled');
      expect(winners).toHaveLength(1);
      const loser = outcomes.find((o) => o.status === 'rejected') as PromiseRejectedResult;
      expect((loser.reason as KeyringError).code).toBe('ERR_KEYRING_FINGERPRINT_CONFLICT');
      const owner = await store.findSiteByFingerprint(key.fingerprint);
      expect(owner).toBeDefined();
      expect((await store.getSite(owner ?? ''))?.keys).toEqual([key]);
    });

    it('concurrent replaceSite of one site: all succeed and no update is lost', async () => {
      const id = site();
      const listings: SiteKeys[] = [0, 1, 2, 3].map(() => makeSiteKeys(id, [makeSiteKey({ now })]));
      // Alternate the two stores where the backend has two, so the writes really interleave.
      await Promise.all(listings.map((listing, i) => (i % 2 === 0 ? store : peer).replaceSite(listing)));
      // Each write retains the keys before it (all in grace), so the last record holds every listed key:
      // a lost update (a write based on a stale read) would be missing one.
      const stored = (await store.getSite(id))?.keys.map((k) => k.fingerprint) ?? [];
      expect([...stored].sort()).toEqual(listings.flatMap((l) => l.keys.map((k) => k.fingerprint)).sort());
    });

    it('subscribeChanges hears every replaceSite and removeSite, from any store on the backend', async () => {
      const id = site();
      const probe = new ChannelProbe();
      const stop = await peer.subscribeChanges(probe.callback);
      const heard = probe.next(id);
      await store.replaceSite(makeSiteKeys(id, [makeSiteKey({ now })]));
      await heard;
      const heardRemoval = probe.next(id);
      await store.removeSite(id);
      await heardRemoval;
      await stop();
    });

    it('an Unsubscribe stops delivery', async () => {
      const id = site();
      const stopped = new ChannelProbe();
      const active = new ChannelProbe();
      const stop = await peer.subscribeChanges(stopped.callback);
      const keep = await peer.subscribeChanges(active.callback);
      await stop();
      const heard = active.next(id);
      await store.replaceSite(makeSiteKeys(id, [makeSiteKey({ now })]));
      await heard; // delivered to the active one, so the stopped one would have had it by now
      expect(stopped.received).toEqual([]);
      await keep();
    });

    it('a refresh request reaches every refresh subscriber', async () => {
      const id = site();
      const probe = new ChannelProbe();
      const stop = await store.subscribeRefreshRequests(probe.callback);
      const heard = probe.next(id);
      await peer.publishRefreshRequest(id);
      await heard;
      await stop();
    });

    it('removeSite forgets the site and its fingerprints', async () => {
      const id = site();
      const key = makeSiteKey({ now });
      await store.replaceSite(makeSiteKeys(id, [key]));
      expect(await store.removeSite(id)).toBe(true);
      expect(await store.removeSite(id)).toBe(false);
      expect(await peer.getSite(id)).toBeUndefined();
      expect(await peer.listSites()).toEqual([]);
      expect(await peer.findSiteByFingerprint(key.fingerprint)).toBeUndefined();
    });

    it('objects read back are copies', async () => {
      const id = site();
      const key = makeSiteKey({ now });
      await store.replaceSite(makeSiteKeys(id, [key]));
      const read = await store.getSite(id);
      (read?.keys as unknown as unknown[]).length = 0;
      expect((await store.getSite(id))?.keys).toEqual([key]);
    });

    it('replaceSite throws TypeError for malformed input (programmer misuse)', async () => {
      const key = makeSiteKey({ now });
      await expect(store.replaceSite(makeSiteKeys('bad/site', [key]))).rejects.toThrow(TypeError);
      await expect(store.replaceSite(makeSiteKeys('{site:x}', [key]))).rejects.toThrow(TypeError);
      await expect(store.replaceSite(makeSiteKeys(site(), [key, { ...key }]))).rejects.toThrow(TypeError);
      await expect(store.replaceSite(makeSiteKeys(site(), [{ ...key, validUntil: key.validAfter }]))).rejects.toThrow(TypeError);
      await expect(store.replaceSite(makeSiteKeys(site(), [{ ...key, value: '' }]))).rejects.toThrow(TypeError);
      expect(await store.listSites()).toEqual([]);
    });
  });
}

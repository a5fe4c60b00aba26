import { MemoryKeyStore, type SiteKeys } from '@pos-link/keyring';
import { seedSiteObject } from '@pos-link/keyring/testing';
import { KeySyncError } from '../errors/key-sync-errors';
import type { SiteObjectSource } from '../portal/portal-client';
import { syncSiteOnce, type SiteSyncDeps } from './site-sync';

const FETCHED_AT = Date.UTC(2024, 6, 5);

/** The parts of the seed 001 object the refusal cases bend. */
interface Seed {
  security: { XKM: { encryption: unknown; keys: Array<{ fingerprint: string; value: string; valid_after: string; valid_until: string }> } };
}

/** A Portal stand-in that answers one scripted value (or failure) per fetch. */
function source(answer: unknown | KeySyncError): SiteObjectSource {
  return {
    fetchSite: async () => {
      if (answer instanceof KeySyncError) throw answer;
      return structuredClone(answer);
    },
    close: async () => undefined,
  };
}

function deps(portal: SiteObjectSource, store = new MemoryKeyStore(), confirm = true): SiteSyncDeps {
  return { portal, store, service: 'XKM', confirmLeader: async () => confirm, clock: () => FETCHED_AT };
}

describe('syncSiteOnce', () => {
  it('writes the seed 001 site object (three-digit seconds read as SS) with its fetch time', async () => {
    const store = new MemoryKeyStore();
    const report = await syncSiteOnce(deps(source(seedSiteObject()), store), 'site-1');
    expect(report).toMatchObject({ siteId: 'site-1', status: 'written', outcome: 'ok', encryption: true });
    expect(report.written?.added).toEqual(['b6e4b70983144e192bd7eea24c698f54', '8ad8c9b0faedd4799805510a91578849']);
    expect(report.listed).toEqual([
      { validAfter: Date.UTC(2024, 5, 11), validUntil: Date.UTC(2024, 6, 11) },
      { validAfter: Date.UTC(2024, 6, 4), validUntil: Date.UTC(2024, 7, 11) },
    ]);
    const stored = (await store.getSite('site-1')) as SiteKeys;
    expect(stored.fetchedAt).toBe(FETCHED_AT);
    expect(stored.keys.map((k) => k.fingerprint)).toEqual(report.written?.stored);
  });

  it.each([
    ['three keys', (o: Seed) => o.security.XKM.keys.push({ ...o.security.XKM.keys[0], fingerprint: 'third' }), 'ERR_KEYRING_SITE_TOO_MANY_KEYS'],
    ['a duplicate fingerprint', (o: Seed) => (o.security.XKM.keys[1].fingerprint = o.security.XKM.keys[0].fingerprint), 'ERR_KEYRING_SITE_DUPLICATE_FINGERPRINT'],
    ['valid_until <= valid_after', (o: Seed) => (o.security.XKM.keys[0].valid_until = o.security.XKM.keys[0].valid_after), 'ERR_KEYRING_SITE_VALIDITY_INVERTED'],
    ['an unreadable timestamp', (o: Seed) => (o.security.XKM.keys[0].valid_after = '2024-06-11T00:00:060Z'), 'ERR_KEYRING_SITE_TIMESTAMP_INVALID'],
    ['encryption not a boolean', (o: Seed) => (o.security.XKM.encryption = 'true'), 'ERR_KEYRING_SITE_ENCRYPTION_INVALID'],
  ])('refuses the whole object with %s and writes nothing', async (_name, bend, code) => {
    const store = new MemoryKeyStore();
    await syncSiteOnce(deps(source(seedSiteObject()), store), 'site-1');
    const before = await store.getSite('site-1');
    const object = seedSiteObject();
    bend(object as unknown as Seed);
    const report = await syncSiteOnce(deps(source(object), store), 'site-1');
    expect(report).toMatchObject({ status: 'rejected', outcome: 'invalid', errorCode: code });
    expect(report.reason).not.toContain('secret');
    expect(await store.getSite('site-1')).toEqual(before);
  });

  it('a fingerprint owned by another site is a conflict: nothing written', async () => {
    const store = new MemoryKeyStore();
    await syncSiteOnce(deps(source(seedSiteObject()), store), 'site-1');
    const report = await syncSiteOnce(deps(source(seedSiteObject()), store), 'site-2');
    expect(report).toMatchObject({ status: 'rejected', outcome: 'conflict', errorCode: 'ERR_KEYRING_FINGERPRINT_CONFLICT' });
    expect(report.reason).toContain('belongs to site site-1');
    expect(await store.getSite('site-2')).toBeUndefined();
  });

  it('maps each Portal failure to its outcome', async () => {
    const cases = [
      ['ERR_KEYSYNC_PORTAL_HTTP_STATUS', 'http_error'],
      ['ERR_KEYSYNC_PORTAL_UNREACHABLE', 'http_error'],
      ['ERR_KEYSYNC_PORTAL_TIMEOUT', 'timeout'],
      ['ERR_KEYSYNC_PORTAL_BODY_INVALID', 'invalid'],
      ['ERR_KEYSYNC_PORTAL_BODY_TOO_LARGE', 'invalid'],
    ] as const;
    for (const [code, outcome] of cases) {
      const report = await syncSiteOnce(deps(source(new KeySyncError(code, 'x'))), 'site-1');
      expect(report).toMatchObject({ status: 'fetch_failed', outcome, errorCode: code });
    }
  });

  it('writes nothing when the fencing check fails', async () => {
    const store = new MemoryKeyStore();
    const report = await syncSiteOnce(deps(source(seedSiteObject()), store, false), 'site-1');
    expect(report).toMatchObject({ status: 'fenced', outcome: 'ok', errorCode: 'ERR_KEYSYNC_NOT_LEADER' });
    expect(await store.getSite('site-1')).toBeUndefined();
  });

  it('a store failure is ERR_KEYSYNC_STORE_WRITE_FAILED naming the cause\'s code', async () => {
    class FailingStore extends MemoryKeyStore {
      override async replaceSite(): Promise<never> {
        throw Object.assign(new Error('Connection is closed.'), { code: 'ECONNRESET' });
      }
    }
    const report = await syncSiteOnce(deps(source(seedSiteObject()), new FailingStore()), 'site-1');
    expect(report).toMatchObject({
      status: 'store_failed',
      outcome: 'ok',
      errorCode: 'ERR_KEYSYNC_STORE_WRITE_FAILED',
      reason: 'key store write failed: site site-1: ECONNRESET',
    });
  });
});

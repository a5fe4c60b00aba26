import { KeyCache, MemoryKeyStore } from '@pos-link/keyring';
import { startPortalSim, type PortalSim } from '@pos-link/portal-sim';
import { keySyncEnv, startKeySync } from './support/key-sync-harness';
import { LogAudit } from './support/log-audit';
import { waitFor } from '@pos-link/platform/testing';

// Integration without Redis (DESIGN §1 standalone mode): `REDIS_URL` unset → in-memory store, a sole leader,
// no lock; the standalone process passes the store its gateway and ingress read.
const SITES = ['mem-1', 'mem-2'];
const audit = new LogAudit();
let portal: PortalSim;

beforeAll(async () => {
  portal = await startPortalSim({ auth: 'Bearer memory-test', sites: SITES, rotationMs: 0 });
  audit.watchPortal(portal, SITES);
});

afterAll(async () => {
  await portal?.close();
  audit.dispose();
  expect(audit.leaks()).toEqual([]);
});

describe('key-sync in memory (standalone mode)', () => {
  it('syncs into the shared in-memory store, is ready without Redis, and leaves the shared store open on close', async () => {
    const store = new MemoryKeyStore();
    const reader = new KeyCache(store, { resyncIntervalMs: 0 });
    await reader.start();
    const keySync = await startKeySync(keySyncEnv(portal, 'unused', SITES, { REDIS_URL: undefined }), audit, { keyStore: store });
    try {
      await waitFor('every site in the shared store', () => SITES.every((siteId) => reader.site(siteId) !== undefined));
      for (const siteId of SITES) {
        expect(reader.site(siteId)!.keys.map((k) => k.key)).toEqual(portal.currentKeys(siteId));
      }
      expect(keySync.engine.isLeader()).toBe(true);
      const ready = await waitFor('readiness', async () => {
        const answer = await keySync.ready();
        return answer.status === 200 ? answer : undefined;
      });
      expect(ready.body).toEqual({ status: 'ok', info: { keys: { status: 'up' } }, error: {}, details: { keys: { status: 'up' } } });
      expect(keySync.events('KeySyncStarted')[0]).toMatchObject({ mode: 'memory', sites: SITES });

      const next = portal.rotate('mem-1');
      await waitFor('the rotated key', () => reader.lookup(next.fingerprint) !== undefined, { timeoutMs: 1_000 });
    } finally {
      await keySync.close();
    }
    // key-sync did not close the store it was given: the reader still hears changes on it
    const changed = reader.waitForChange('mem-2', 1_000);
    await store.replaceSite({ siteId: 'mem-2', encryption: false, keys: [], fetchedAt: Date.now() });
    expect(await changed).toBe(true);
    await reader.close();
  });

  it('builds its own memory store when none is given', async () => {
    const keySync = await startKeySync(keySyncEnv(portal, 'unused', SITES, { REDIS_URL: undefined }), audit);
    try {
      await waitFor('readiness', async () => (await keySync.ready()).status === 200);
      expect(await keySync.metric('poslink_keysync_site_keys', { site: 'mem-2' })).toBe(2);
    } finally {
      await keySync.close();
    }
  });
});

import { aleAad, aleDecrypt, aleEncrypt, deriveAleKey, generateAleIv } from '@pos-link/crypto';
import { uniqueRedisPrefix, waitFor } from '@pos-link/platform/testing';
import { startPortalSim, type PortalSim } from '@pos-link/portal-sim';
import { cleanRedis, keySyncEnv, startKeySync, startReader, type KeySyncUnderTest, type Reader } from './support/key-sync-harness';
import { LogAudit } from './support/log-audit';

// Integration: key-sync in-process against portal-sim (a real HTTP server) and the real Redis; a reader with
// its own connection plays the gateway.
const SITES = ['store-1', 'store-2', 'store-3'];
const audit = new LogAudit();
let portal: PortalSim;
let prefix: string;
let keySync: KeySyncUnderTest;
let reader: Reader;

beforeAll(async () => {
  portal = await startPortalSim({
    auth: 'Bearer first-sync-test',
    sites: ['store-1', 'store-2', { siteId: 'store-3', encryption: false }],
    rotationMs: 0,
    overlapMs: 60_000,
  });
  audit.watchPortal(portal, SITES);
  audit.remember(portal.auth);
  prefix = uniqueRedisPrefix('ks-first');
  keySync = await startKeySync(keySyncEnv(portal, prefix, SITES), audit);
  reader = await startReader(prefix);
});

afterAll(async () => {
  await reader?.close();
  await keySync?.close();
  await portal?.close();
  await cleanRedis(prefix);
  audit.dispose();
  expect(audit.leaks()).toEqual([]);
  expect(audit.coverage.lines).toBeGreaterThan(0);
});

describe('key-sync first sync of several sites', () => {
  it('writes every site: a reader on its own connection sees exactly the keys the Portal lists', async () => {
    await waitFor('every site in the reader', () => SITES.every((siteId) => reader.cache.site(siteId) !== undefined));
    for (const siteId of ['store-1', 'store-2']) {
      const listed = portal.currentKeys(siteId);
      const cached = reader.cache.site(siteId)!;
      expect(cached.encryption).toBe(true);
      expect(cached.keys.map((k) => k.key.fingerprint)).toEqual(listed.map((k) => k.fingerprint));
      for (const key of listed) {
        const lookup = reader.cache.lookup(key.fingerprint)!;
        expect(lookup.siteId).toBe(siteId);
        expect(lookup.key).toEqual(key);
        // K = SHA-256(UTF-8(value)) (DESIGN §2): what the POS encrypts with decrypts here.
        const iv = generateAleIv('aes-256-gcm');
        const aad = aleAad(key.fingerprint);
        const ciphertext = aleEncrypt('aes-256-gcm', deriveAleKey(key.value), iv, Buffer.from('{"order":1}'), aad);
        expect(aleDecrypt('aes-256-gcm', lookup.material, iv, ciphertext, aad).toString()).toBe('{"order":1}');
      }
    }
    expect(reader.cache.site('store-3')).toMatchObject({ encryption: false, keys: [] });
  });

  it('/health/ready is ready once every site has valid keys (or encryption off)', async () => {
    const ready = await waitFor('readiness', async () => ((await keySync.ready()).status === 200 ? keySync.ready() : undefined));
    expect(ready.body).toMatchObject({ status: 'ok', info: { redis: { status: 'up' }, keys: { status: 'up' } } });
  });

  it('exports per-site metrics: fetch outcomes, key count, expiry, last success age, leader', async () => {
    await waitFor('a second poll of store-1', async () => ((await keySync.metric('poslink_keysync_portal_fetches_total', { site: 'store-1', outcome: 'ok' })) ?? 0) >= 2);
    expect(await keySync.metric('poslink_keysync_leader')).toBe(1);
    expect(await keySync.metric('poslink_keysync_site_keys', { site: 'store-1' })).toBe(2);
    expect(await keySync.metric('poslink_keysync_site_keys', { site: 'store-3' })).toBe(0);
    expect(await keySync.metric('poslink_keysync_portal_fetches_total', { site: 'store-2', outcome: 'timeout' })).toBe(0);
    const expiry = await keySync.metric('poslink_keysync_current_key_expiry_seconds', { site: 'store-1' });
    const current = portal.currentKeys('store-1').at(-1)!;
    expect(expiry).toBeGreaterThan((current.validUntil - Date.now()) / 1000 - 5);
    expect(expiry).toBeLessThanOrEqual((current.validUntil - Date.now()) / 1000 + 1);
    expect(await keySync.metric('poslink_keysync_current_key_expiry_seconds', { site: 'store-3' })).toBeUndefined();
    const age = await keySync.metric('poslink_keysync_last_success_age_seconds', { site: 'store-2' });
    expect(age).toBeGreaterThanOrEqual(0);
    expect(age).toBeLessThan(2);
    expect(await keySync.metric('poslink_keysync_site_degraded', { site: 'store-2' })).toBe(0);
  });

  it('never writes a key value to Redis in clear (values are wrapped at rest)', async () => {
    const { Redis } = await import('ioredis');
    const redis = new Redis(process.env['REDIS_URL'] ?? 'redis://127.0.0.1:6379');
    try {
      const text = await redis.get(`${prefix}:{site:store-1}:keys`);
      expect(text).not.toBeNull();
      for (const key of portal.currentKeys('store-1')) expect(text).not.toContain(key.value);
    } finally {
      await redis.quit();
    }
  });
});

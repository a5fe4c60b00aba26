import { aleAad, aleDecrypt, aleEncrypt, deriveAleKey, generateAleIv, isCryptoError } from '@pos-link/crypto';
import { canDecrypt, type KeyLookup } from '@pos-link/keyring';
import { uniqueRedisPrefix, waitFor } from '@pos-link/platform/testing';
import { startPortalSim, type PortalSim, type PortalSimKey } from '@pos-link/portal-sim';
import { Redis } from 'ioredis';
import { REDIS_URL, cleanRedis, keySyncEnv, startKeySync, startReader, type KeySyncUnderTest, type Reader } from './support/key-sync-harness';
import { LogAudit } from './support/log-audit';

// Integration: rotations and expiry seen by a reader (its own Redis connection and KeyCache, like a gateway).
const audit = new LogAudit();
const prefixes: string[] = [];
const closers: Array<() => Promise<void>> = [];

afterAll(async () => {
  for (const close of closers.reverse()) await close();
  for (const prefix of prefixes) await cleanRedis(prefix);
  audit.dispose();
  expect(audit.leaks()).toEqual([]);
});

async function setUp(
  sites: Parameters<typeof startPortalSim>[0]['sites'],
  siteIds: string[],
  env: Record<string, string> = {},
): Promise<{ portal: PortalSim; keySync: KeySyncUnderTest; reader: Reader; prefix: string }> {
  const portal = await startPortalSim({ auth: 'Bearer rotation-test', sites, rotationMs: 0, overlapMs: 60_000 });
  closers.push(() => portal.close());
  audit.watchPortal(portal, siteIds);
  const prefix = uniqueRedisPrefix('ks-rot');
  prefixes.push(prefix);
  const keySync = await startKeySync(keySyncEnv(portal, prefix, siteIds, env), audit);
  closers.push(() => keySync.close());
  const reader = await startReader(prefix);
  closers.push(() => reader.close());
  await waitFor('first sync', () => siteIds.every((siteId) => reader.cache.site(siteId) !== undefined));
  return { portal, keySync, reader, prefix };
}

/** What a POS does: encrypt with a key it holds; what a gateway does: select the key by fingerprint, decrypt. */
function roundTrip(posKey: PortalSimKey, lookup: KeyLookup | undefined): boolean {
  if (lookup === undefined) return false;
  const iv = generateAleIv('aes-256-gcm');
  const aad = aleAad(posKey.fingerprint);
  const ciphertext = aleEncrypt('aes-256-gcm', deriveAleKey(posKey.value), iv, Buffer.from('{"ping":true}'), aad);
  try {
    return aleDecrypt('aes-256-gcm', lookup.material, iv, ciphertext, aad).toString() === '{"ping":true}';
  } catch (error) {
    if (isCryptoError(error) && error.code === 'ERR_CRYPTO_DECRYPT_FAILED') return false;
    throw error;
  }
}

describe('key-sync rotation during traffic', () => {
  it('a reader sees the new key within 1 s of a Portal rotation, and both keys decrypt during the overlap', async () => {
    const { portal, reader } = await setUp(['rot-1'], ['rot-1']);
    const [, previous] = portal.currentKeys('rot-1');
    let traffic = 0;
    let failures = 0;
    let stop = false;
    // Traffic with the current key the whole time: a POS that has not switched yet must never fail.
    const pos = (async () => {
      while (!stop) {
        traffic += 1;
        if (!roundTrip(previous!, reader.cache.lookup(previous!.fingerprint))) failures += 1;
        await new Promise((resolve) => setImmediate(resolve));
      }
    })();

    const rotatedAt = Date.now();
    const next = portal.rotate('rot-1');
    const seen = await waitFor('the new key in the reader', () => reader.cache.lookup(next.fingerprint), { timeoutMs: 1_000, intervalMs: 2 });
    const latency = Date.now() - rotatedAt;
    stop = true;
    await pos;

    expect(latency).toBeLessThan(1_000);
    expect(traffic).toBeGreaterThan(0);
    expect(failures).toBe(0);
    // Overlap: the old key and the new one both decrypt, each selected by its own fingerprint.
    const now = Date.now();
    const old = reader.cache.lookup(previous!.fingerprint)!;
    expect(canDecrypt(old.key, now, 60_000, 60_000)).toBe(true);
    expect(canDecrypt(seen.key, now, 60_000, 60_000)).toBe(true);
    expect(roundTrip(previous!, old)).toBe(true);
    expect(roundTrip(next, seen)).toBe(true);
    expect(roundTrip(next, old)).toBe(false); // the fingerprint selects exactly one key (no trial decryption)
  });

  it('an unknown fingerprint asks for a refresh and the reader has the new key within 1 s (no poll due)', async () => {
    const { portal, reader, prefix } = await setUp(['rot-2'], ['rot-2'], { KEYSYNC_POLL_MS: '60000' });
    // The start-up fetch opened a rate-limit interval; wait until Redis expired it (a real condition).
    const redis = new Redis(REDIS_URL);
    closers.push(async () => void (await redis.quit()));
    await waitFor('the portal-fetch interval to end', async () => (await redis.pttl(`${prefix}:{site:rot-2}:ratelimit:portal-fetch`)) === -2);

    const next = portal.rotate('rot-2');
    const started = Date.now();
    expect(reader.cache.lookup(next.fingerprint)).toBeUndefined();
    const changed = reader.cache.waitForChange('rot-2', 1_500);
    expect(await reader.requester.request('rot-2')).toBe(true);
    expect(await changed).toBe(true);
    expect(roundTrip(next, reader.cache.lookup(next.fingerprint))).toBe(true);
    expect(Date.now() - started).toBeLessThan(1_000);
  });
});

describe('key-sync expiry', () => {
  it('drops a key once the Portal stops listing it and valid_until + grace has passed; a site left without keys is not ready', async () => {
    const now = Date.now();
    const expiring: PortalSimKey = { fingerprint: 'exp-a-fingerprint', value: 'exp-a-secret-value-1', validAfter: now - 3_600_000, validUntil: now + 1_200 };
    const lasting: PortalSimKey = { fingerprint: 'exp-b-fingerprint', value: 'exp-b-secret-value-2', validAfter: now - 1_000, validUntil: now + 86_400_000 };
    const lonely: PortalSimKey = { fingerprint: 'exp-c-fingerprint', value: 'exp-c-secret-value-3', validAfter: now - 3_600_000, validUntil: now + 1_200 };
    audit.remember(expiring.value);
    audit.remember(lasting.value);
    audit.remember(lonely.value);
    const graceMs = 300;
    const { reader, keySync } = await setUp(
      [
        { siteId: 'exp-1', keys: [expiring, lasting] },
        { siteId: 'exp-2', keys: [lonely] },
      ],
      ['exp-1', 'exp-2'],
      { KEY_GRACE_MS: String(graceMs) },
    );
    expect(reader.cache.lookup(expiring.fingerprint)).toBeDefined();
    expect((await keySync.ready()).status).toBe(200);

    await waitFor('the expired key to leave the reader', () => reader.cache.lookup(expiring.fingerprint) === undefined, { timeoutMs: 4_000 });
    const goneAt = Date.now();
    expect(goneAt).toBeGreaterThanOrEqual(expiring.validUntil + graceMs);
    expect(goneAt).toBeLessThan(expiring.validUntil + graceMs + 1_000);
    expect(reader.cache.site('exp-1')!.keys.map((k) => k.key.fingerprint)).toEqual([lasting.fingerprint]);

    const notReady = await waitFor('exp-2 to be reported without keys', async () => {
      const ready = await keySync.ready();
      return ready.status === 503 ? ready : undefined;
    });
    expect(notReady.body).toMatchObject({
      error: { keys: { status: 'down', reason: 'ERR_KEYSYNC_SITE_KEYS_MISSING: no valid keys for site: exp-2' } },
    });
    expect(await keySync.metric('poslink_keysync_current_key_expiry_seconds', { site: 'exp-2' })).toBe(0);
  });
});

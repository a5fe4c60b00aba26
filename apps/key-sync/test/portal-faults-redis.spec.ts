import { uniqueRedisPrefix, waitFor } from '@pos-link/platform/testing';
import { PORTAL_FAULT_KINDS, startPortalSim, type PortalFaultKind, type PortalSim, type PortalSimKey } from '@pos-link/portal-sim';
import { cleanRedis, keySyncEnv, startKeySync, startReader, type KeySyncUnderTest, type Reader } from './support/key-sync-harness';
import { LogAudit } from './support/log-audit';

// Integration: every fault portal-sim can inject, against key-sync in-process and the real Redis. Whatever the
// Portal does wrong, the site keeps its last good keys and the log says why (code, never a key value).
const SITE = 'fault-1';
const OTHER = 'fault-2';
const audit = new LogAudit();
let portal: PortalSim;
let prefix: string;
let keySync: KeySyncUnderTest;
let reader: Reader;

beforeAll(async () => {
  portal = await startPortalSim({ auth: 'Bearer faults-test', sites: [SITE, OTHER], rotationMs: 0, overlapMs: 60_000 });
  audit.watchPortal(portal, [SITE, OTHER]);
  audit.remember(portal.auth);
  prefix = uniqueRedisPrefix('ks-faults');
  keySync = await startKeySync(keySyncEnv(portal, prefix, [SITE, OTHER]), audit);
  reader = await startReader(prefix);
  await waitFor('first sync', () => reader.cache.site(SITE) !== undefined && reader.cache.site(OTHER) !== undefined);
});

afterAll(async () => {
  await reader?.close();
  await keySync?.close();
  await portal?.close();
  await cleanRedis(prefix);
  audit.dispose();
  expect(audit.leaks()).toEqual([]);
});

/** What each fault must produce: the log event, the fetch outcome and the reason code. */
const EXPECTED: Record<Exclude<PortalFaultKind, 'seed-timestamps'>, { event: string; outcome: string; code: string; reason: RegExp }> = {
  http500: { event: 'KeySyncSiteFetchError', outcome: 'http_error', code: 'ERR_KEYSYNC_PORTAL_HTTP_STATUS', reason: /HTTP 500$/ },
  http503: { event: 'KeySyncSiteFetchError', outcome: 'http_error', code: 'ERR_KEYSYNC_PORTAL_HTTP_STATUS', reason: /HTTP 503$/ },
  latency: { event: 'KeySyncSiteFetchError', outcome: 'timeout', code: 'ERR_KEYSYNC_PORTAL_TIMEOUT', reason: /no answer within 400 ms$/ },
  reset: { event: 'KeySyncSiteFetchError', outcome: 'http_error', code: 'ERR_KEYSYNC_PORTAL_UNREACHABLE', reason: /fault-1: [A-Z_]+$/ },
  'truncated-json': { event: 'KeySyncSiteFetchError', outcome: 'invalid', code: 'ERR_KEYSYNC_PORTAL_BODY_INVALID', reason: /not JSON: site fault-1: \d+ bytes$/ },
  'invalid-json': { event: 'KeySyncSiteFetchError', outcome: 'invalid', code: 'ERR_KEYSYNC_PORTAL_BODY_INVALID', reason: /not JSON: site fault-1: \d+ bytes$/ },
  'three-keys': { event: 'KeySyncSiteRejectedError', outcome: 'invalid', code: 'ERR_KEYRING_SITE_TOO_MANY_KEYS', reason: /more than two keys: 3 keys/ },
  'duplicate-fingerprint': {
    event: 'KeySyncSiteRejectedError',
    outcome: 'invalid',
    code: 'ERR_KEYRING_SITE_DUPLICATE_FINGERPRINT',
    reason: /duplicate fingerprint: key 1 repeats/,
  },
  'until-before-after': {
    event: 'KeySyncSiteRejectedError',
    outcome: 'invalid',
    code: 'ERR_KEYRING_SITE_VALIDITY_INVERTED',
    reason: /valid_until is not after valid_after: key 0/,
  },
  'encryption-not-boolean': {
    event: 'KeySyncSiteRejectedError',
    outcome: 'invalid',
    code: 'ERR_KEYRING_SITE_ENCRYPTION_INVALID',
    reason: /encryption is not a boolean/,
  },
};

function fingerprints(siteId: string): string[] {
  return reader.cache.site(siteId)?.keys.map((k) => k.key.fingerprint) ?? [];
}

describe('key-sync under Portal faults', () => {
  it('covers every fault kind the simulator has', () => {
    expect([...Object.keys(EXPECTED), 'seed-timestamps'].sort()).toEqual([...PORTAL_FAULT_KINDS].sort());
  });

  it.each(Object.entries(EXPECTED))('%s: last good keys kept, logged with its reason code, counted', async (kind, expected) => {
    const goodKeys = fingerprints(SITE);
    const goodLookups = goodKeys.map((fp) => reader.cache.lookup(fp));
    const logged = keySync.events(expected.event).length;
    const counted = (await keySync.metric('poslink_keysync_portal_fetches_total', { site: SITE, outcome: expected.outcome })) ?? 0;
    const failures = (await keySync.metric('poslink_keysync_sync_failures_total', { site: SITE, error_code: expected.code })) ?? 0;
    const recovered = keySync.events('KeySyncSiteRecovered').length;

    portal.injectFault({ kind: kind as PortalFaultKind, siteId: SITE, ...(kind === 'latency' ? { latencyMs: 1_000 } : {}) });

    const record = await waitFor(`the ${kind} log line`, () => keySync.events(expected.event).slice(logged).find((r) => r['site'] === SITE));
    expect(record).toMatchObject({ site: SITE, outcome: expected.outcome, error_code: expected.code, level: 'warn' });
    expect(record['reason']).toMatch(expected.reason);
    expect(record['retry_in_ms']).toBeLessThanOrEqual(300);
    expect(await keySync.metric('poslink_keysync_portal_fetches_total', { site: SITE, outcome: expected.outcome })).toBe(counted + 1);
    expect(await keySync.metric('poslink_keysync_sync_failures_total', { site: SITE, error_code: expected.code })).toBe(failures + 1);
    expect(await keySync.metric('poslink_keysync_site_degraded', { site: SITE })).toBe(1);
    // stale-while-error: the same keys, the same lookups; the replica stays ready (degraded is a warning)
    expect(fingerprints(SITE)).toEqual(goodKeys);
    expect(goodKeys.map((fp) => reader.cache.lookup(fp))).toEqual(goodLookups);
    expect((await keySync.ready()).status).toBe(200);

    await waitFor('recovery', () => keySync.events('KeySyncSiteRecovered').length > recovered);
    expect(await keySync.metric('poslink_keysync_site_degraded', { site: SITE })).toBe(0);
    expect(fingerprints(OTHER)).toHaveLength(2); // the fault was for one site only
  });

  it('seed-timestamps: the seed\'s "2024-06-11T00:00:000Z" form is accepted (read to the second)', async () => {
    const listed = portal.currentKeys(SITE);
    const toSecond = (ms: number): number => Math.floor(ms / 1000) * 1000;
    const rejected = keySync.events('KeySyncSiteRejectedError').length;
    portal.injectFault({ kind: 'seed-timestamps', siteId: SITE });
    await waitFor('keys with second-precision times', () =>
      listed.every((key: PortalSimKey) => {
        const cached = reader.cache.lookup(key.fingerprint)?.key;
        return cached?.validAfter === toSecond(key.validAfter) && cached.validUntil === toSecond(key.validUntil);
      }),
    );
    expect(portal.stats().faults['seed-timestamps']).toBe(1);
    expect(keySync.events('KeySyncSiteRejectedError')).toHaveLength(rejected);
    // the next ordinary poll writes the millisecond times again
    await waitFor('millisecond times again', () => listed.every((key) => reader.cache.lookup(key.fingerprint)?.key.validUntil === key.validUntil));
  });
});

describe('key-sync and fingerprints shared across sites', () => {
  it('refuses the whole site object whose fingerprint another site already uses (counted as conflict)', async () => {
    const now = Date.now();
    const shared = 'shared-fingerprint-0001';
    const first: PortalSimKey = { fingerprint: shared, value: 'dup-site-a-value-xyz', validAfter: now - 60_000, validUntil: now + 86_400_000 };
    const second: PortalSimKey = { fingerprint: shared, value: 'dup-site-b-value-xyz', validAfter: now - 60_000, validUntil: now + 86_400_000 };
    const own: PortalSimKey = { fingerprint: 'dup-site-b-own-fp', value: 'dup-site-b-own-value', validAfter: now - 60_000, validUntil: now + 86_400_000 };
    const dupPortal = await startPortalSim({
      auth: 'Bearer dup-test',
      sites: [
        { siteId: 'dup-a', keys: [first] },
        { siteId: 'dup-b', keys: [own, second] },
      ],
      rotationMs: 0,
    });
    for (const key of [first, second, own]) audit.remember(key.value);
    const dupPrefix = uniqueRedisPrefix('ks-dup');
    const dupSync = await startKeySync(keySyncEnv(dupPortal, dupPrefix, ['dup-a', 'dup-b']), audit);
    const dupReader = await startReader(dupPrefix);
    try {
      const record = await waitFor('the conflict', () => dupSync.events('KeySyncSiteRejectedError').find((r) => r['error_code'] === 'ERR_KEYRING_FINGERPRINT_CONFLICT'));
      const loser = record['site'] as string;
      const winner = loser === 'dup-a' ? 'dup-b' : 'dup-a';
      expect(record).toMatchObject({ outcome: 'conflict', level: 'warn' });
      expect(record['reason']).toContain(`${shared} belongs to site ${winner}`);
      await waitFor('the winner in the reader', () => dupReader.cache.site(winner) !== undefined);
      expect(dupReader.cache.site(loser)).toBeUndefined(); // nothing of the refused object was written
      expect(dupReader.cache.lookup(shared)?.siteId).toBe(winner);
      expect(dupReader.cache.lookup(shared)?.key.value).toBe((winner === 'dup-a' ? first : second).value);
      expect(await dupSync.metric('poslink_keysync_portal_fetches_total', { site: loser, outcome: 'conflict' })).toBeGreaterThanOrEqual(1);
      const ready = await dupSync.ready();
      expect(ready.status).toBe(503);
      expect(JSON.stringify(ready.body)).toContain(`ERR_KEYSYNC_SITE_KEYS_MISSING: no valid keys for site: ${loser}`);
    } finally {
      await dupReader.close();
      await dupSync.close();
      await dupPortal.close();
      await cleanRedis(dupPrefix);
    }
  });
});

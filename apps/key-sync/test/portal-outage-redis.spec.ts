import { uniqueRedisPrefix, waitFor } from '@pos-link/platform/testing';
import { startPortalSim, type PortalSim, type PortalSimKey, type PortalSimSiteOptions } from '@pos-link/portal-sim';
import { cleanRedis, keySyncEnv, startKeySync, startReader, type KeySyncUnderTest, type Reader } from './support/key-sync-harness';
import { LogAudit } from './support/log-audit';

// Integration: the Portal goes away (its server is closed: connection refused) for longer than the poll
// interval, then comes back on the same port. key-sync must keep serving the last good keys, report the site
// degraded (metric + log, still ready), back off (capped, jittered) and recover by itself.
const SITE = 'outage-1';
const POLL_MS = 200;
const BACKOFF_MAX_MS = 300;
const audit = new LogAudit();
const now = Date.now();
const KEYS: PortalSimKey[] = [
  { fingerprint: 'outage-prev-fp', value: 'outage-prev-value-1', validAfter: now - 3_600_000, validUntil: now + 600_000 },
  { fingerprint: 'outage-curr-fp', value: 'outage-curr-value-2', validAfter: now - 60_000, validUntil: now + 86_400_000 },
];
const SITES: PortalSimSiteOptions[] = [{ siteId: SITE, keys: KEYS }];
let portal: PortalSim;
let prefix: string;
let keySync: KeySyncUnderTest;
let reader: Reader;

beforeAll(async () => {
  for (const key of KEYS) audit.remember(key.value);
  portal = await startPortalSim({ auth: 'Bearer outage-test', sites: SITES, rotationMs: 0 });
  audit.remember(portal.auth);
  prefix = uniqueRedisPrefix('ks-outage');
  keySync = await startKeySync(
    keySyncEnv(portal, prefix, [SITE], { KEYSYNC_POLL_MS: String(POLL_MS), KEYSYNC_BACKOFF_MAX_MS: String(BACKOFF_MAX_MS) }),
    audit,
  );
  reader = await startReader(prefix);
  await waitFor('first sync', () => reader.cache.site(SITE) !== undefined);
});

afterAll(async () => {
  await reader?.close();
  await keySync?.close();
  await portal?.close();
  await cleanRedis(prefix);
  audit.dispose();
  expect(audit.leaks()).toEqual([]);
});

describe('key-sync while the Portal is down', () => {
  it('serves the last good keys, reports the site degraded, backs off, and recovers when the Portal returns', async () => {
    const port = portal.port;
    await portal.close();
    const downAt = Date.now();
    const errorsBefore = keySync.events('KeySyncSiteFetchError').length;

    // Longer than several poll intervals: at least four failed attempts.
    await waitFor('four failed fetches', () => keySync.events('KeySyncSiteFetchError').length - errorsBefore >= 4, { timeoutMs: 5_000 });
    expect(Date.now() - downAt).toBeGreaterThan(POLL_MS);
    const failed = keySync.events('KeySyncSiteFetchError').slice(errorsBefore);
    for (const record of failed) {
      expect(record).toMatchObject({ site: SITE, outcome: 'http_error', error_code: 'ERR_KEYSYNC_PORTAL_UNREACHABLE' });
      expect(record['reason']).toBe(`Portal unreachable or connection lost: site ${SITE}: ECONNREFUSED`);
      // capped and jittered ("equal jitter": between half the cap and the cap)
      expect(record['retry_in_ms']).toBeGreaterThanOrEqual(BACKOFF_MAX_MS / 2);
      expect(record['retry_in_ms']).toBeLessThanOrEqual(BACKOFF_MAX_MS);
    }
    expect(failed.map((r) => r['failures'])).toEqual(failed.map((_, i) => (failed[0]!['failures'] as number) + i));
    // attempts are spaced by the back-off, not by the poll interval or faster
    const times = failed.map((r) => Date.parse(r['time'] as string));
    for (let i = 1; i < times.length; i++) expect(times[i]! - times[i - 1]!).toBeGreaterThanOrEqual(BACKOFF_MAX_MS / 2 - 5);
    expect(keySync.events('KeySyncSiteDegraded').filter((r) => r['site'] === SITE)).toHaveLength(1);

    // stale-while-error: still served, still ready (degraded is a warning: metric + log)
    expect(reader.cache.site(SITE)!.keys.map((k) => k.key.fingerprint)).toEqual(KEYS.map((k) => k.fingerprint));
    const ready = await keySync.ready();
    expect(ready.status).toBe(200);
    expect(ready.body).toMatchObject({ info: { keys: { status: 'up' } } });
    expect(await keySync.metric('poslink_keysync_site_degraded', { site: SITE })).toBe(1);
    expect(await keySync.metric('poslink_keysync_portal_fetches_total', { site: SITE, outcome: 'http_error' })).toBeGreaterThanOrEqual(4);
    expect(await keySync.metric('poslink_keysync_last_success_age_seconds', { site: SITE })).toBeGreaterThan(POLL_MS / 1000);

    // refresh requests during the back-off do not reach the Portal
    await reader.requester.request(SITE);
    await waitFor('the refresh request to be counted', async () =>
      ((await keySync.metric('poslink_keysync_refresh_requests_total', { outcome: 'backoff' })) ?? 0) +
        ((await keySync.metric('poslink_keysync_refresh_requests_total', { outcome: 'coalesced' })) ?? 0) >=
      1,
    );

    portal = await startPortalSim({ port, auth: 'Bearer outage-test', sites: SITES, rotationMs: 0 });
    const recovered = await waitFor('recovery', () => keySync.events('KeySyncSiteRecovered').find((r) => r['site'] === SITE), { timeoutMs: 3_000 });
    expect(recovered['failures']).toBeGreaterThanOrEqual(4);
    expect(await keySync.metric('poslink_keysync_site_degraded', { site: SITE })).toBe(0);
    expect(await keySync.metric('poslink_keysync_last_success_age_seconds', { site: SITE })).toBeLessThan(1);
    expect(keySync.engine.siteStatus(SITE)).toMatchObject({ failures: 0, lastOutcome: 'ok' });
  });
});

import { Redis } from 'ioredis';
import { readPrometheusMetric, uniqueRedisPrefix, waitFor } from '@pos-link/platform/testing';
import { startPortalSim, type PortalSim } from '@pos-link/portal-sim';
import { REDIS_URL, cleanRedis, keySyncEnv, startKeySync, startReader, type KeySyncUnderTest, type Reader } from './support/key-sync-harness';
import { LogAudit } from './support/log-audit';

// Integration: on-demand refreshes (DESIGN §2/§3). Gateways that see unknown fingerprints ask key-sync to
// refresh a site; however many ask, the Portal sees at most one fetch per site per KEYSYNC_REFRESH_MIN_MS.
const SITE = 'burst-1';
const REFRESH_MIN_MS = 1_000;
const BURST = 1_000;
const audit = new LogAudit();
let portal: PortalSim;
let prefix: string;
let keySync: KeySyncUnderTest;
let reader: Reader;
let redis: Redis;

beforeAll(async () => {
  portal = await startPortalSim({ auth: 'Bearer burst-test', sites: [SITE, 'burst-2'], rotationMs: 0 });
  audit.watchPortal(portal, [SITE, 'burst-2']);
  prefix = uniqueRedisPrefix('ks-burst');
  // No poll falls inside the test: every fetch after the first is a refresh.
  keySync = await startKeySync(
    keySyncEnv(portal, prefix, [SITE, 'burst-2'], { KEYSYNC_POLL_MS: '600000', KEYSYNC_REFRESH_MIN_MS: String(REFRESH_MIN_MS) }),
    audit,
  );
  reader = await startReader(prefix, 0); // no local throttle: every request is published
  redis = new Redis(REDIS_URL);
  await waitFor('first sync', () => reader.cache.site(SITE) !== undefined);
});

afterAll(async () => {
  await redis?.quit();
  await reader?.close();
  await keySync?.close();
  await portal?.close();
  await cleanRedis(prefix);
  audit.dispose();
  expect(audit.leaks()).toEqual([]);
});

async function refreshCounts(): Promise<Record<string, number>> {
  const text = await (await fetch(`${keySync.opsUrl}/metrics`)).text();
  const outcomes = ['fetched', 'rate_limited', 'coalesced', 'backoff', 'not_leader', 'unknown_site', 'error'];
  return Object.fromEntries(outcomes.map((outcome) => [outcome, readPrometheusMetric(text, 'poslink_keysync_refresh_requests_total', { outcome }) ?? 0]));
}

const total = (counts: Record<string, number>): number => Object.values(counts).reduce((sum, n) => sum + n, 0);

/** Waits until the shared rate-limit interval of the site has ended (the key expired in Redis). */
async function intervalOver(): Promise<void> {
  await waitFor('the portal-fetch interval to end', async () => (await redis.pttl(`${prefix}:{site:${SITE}}:ratelimit:portal-fetch`)) === -2, {
    timeoutMs: REFRESH_MIN_MS + 1_000,
  });
}

/** 1,000 gateway requests for an unknown fingerprint of the site, all at once; resolves when key-sync has seen them all. */
async function burst(): Promise<Record<string, number>> {
  const before = await refreshCounts();
  await Promise.all(Array.from({ length: BURST }, () => reader.requester.request(SITE)));
  await waitFor('every request to be handled', async () => total(await refreshCounts()) - total(before) >= BURST);
  const after = await refreshCounts();
  return Object.fromEntries(Object.entries(after).map(([k, v]) => [k, v - (before[k] ?? 0)]));
}

describe('key-sync refresh requests', () => {
  it('a burst of 1,000 requests for one site causes one Portal fetch, and one follow-up a KEYSYNC_REFRESH_MIN_MS later', async () => {
    await intervalOver();
    const fetched = (): number => (portal.stats().fetches[SITE] ?? 0) - fetchesBefore;
    const fetchesBefore = portal.stats().fetches[SITE] ?? 0;
    const changed = reader.cache.waitForChange(SITE, 2_000);
    const first = await burst();
    expect(await changed).toBe(true); // the one fetch was written
    expect(first['fetched']).toBe(1);
    expect(first['rate_limited']! + first['coalesced']!).toBe(BURST - 1);
    expect(fetched()).toBe(1);

    // Still inside the interval: another burst reaches the Portal zero times now...
    const second = await burst();
    expect(second['fetched']).toBe(0);
    expect(fetched()).toBe(1);
    // ...and the requests the first fetch may not have answered (they arrived while it ran or inside its
    // interval, docs/specs/key-sync.md §7) are served by ONE follow-up fetch once the interval is over.
    await waitFor('the follow-up fetch', () => fetched() === 2, { timeoutMs: REFRESH_MIN_MS + 2_000 });
    // Then nothing more: a whole interval without requests brings no further fetch (an absence, so a wait).
    await new Promise((resolve) => setTimeout(resolve, REFRESH_MIN_MS + 300));
    expect(fetched()).toBe(2);
    expect(portal.stats().fetches['burst-2']).toBe(1); // the other site was not fetched again
  });

  it('requests for a site key-sync does not serve are counted and never reach the Portal', async () => {
    const before = portal.stats();
    await reader.requester.request('not-configured');
    await waitFor('the request to be counted', async () => (await refreshCounts())['unknown_site']! >= 1);
    expect(portal.stats().totalFetches).toBe(before.totalFetches);
    expect(portal.stats().notFound).toBe(0);
  });
});

import { Redis } from 'ioredis';
import { keySyncRedisLayout } from '@pos-link/key-sync';
import { uniqueRedisPrefix, waitFor } from '@pos-link/platform/testing';
import { startPortalSim, type PortalSim } from '@pos-link/portal-sim';
import { REDIS_URL, cleanRedis, keySyncEnv, startKeySync, type KeySyncUnderTest } from './support/key-sync-harness';
import { LogAudit } from './support/log-audit';

// Integration: several key-sync replicas on one Redis prefix (in-process factories). Exactly one fetches and
// writes; a graceful stop hands over at once; a replica whose lock is taken stops writing.
const SITES = ['lead-1', 'lead-2'];
const LOCK_TTL_MS = 1_000;
const audit = new LogAudit();
let portal: PortalSim;
let redis: Redis;
const prefixes: string[] = [];

beforeAll(async () => {
  portal = await startPortalSim({ auth: 'Bearer leader-test', sites: SITES, rotationMs: 0 });
  audit.watchPortal(portal, SITES);
  redis = new Redis(REDIS_URL);
});

afterAll(async () => {
  await redis?.quit();
  await portal?.close();
  for (const prefix of prefixes) await cleanRedis(prefix);
  audit.dispose();
  expect(audit.leaks()).toEqual([]);
});

async function replicas(count: number): Promise<{ prefix: string; all: KeySyncUnderTest[] }> {
  const prefix = uniqueRedisPrefix('ks-lead');
  prefixes.push(prefix);
  const env = keySyncEnv(portal, prefix, SITES, { KEYSYNC_LOCK_TTL_MS: String(LOCK_TTL_MS) });
  const all: KeySyncUnderTest[] = [];
  for (let i = 0; i < count; i++) all.push(await startKeySync(env, audit));
  return { prefix, all };
}

/** Observing the ABSENCE of writes needs a time window (this is not a wait for a readiness signal). */
function quietPeriod(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

async function fetchesOf(replica: KeySyncUnderTest): Promise<number> {
  let sum = 0;
  for (const site of SITES) {
    for (const outcome of ['ok', 'http_error', 'timeout', 'invalid', 'conflict']) {
      sum += (await replica.metric('poslink_keysync_portal_fetches_total', { site, outcome })) ?? 0;
    }
  }
  return sum;
}

describe('key-sync replicas', () => {
  it('exactly one of two replicas refreshes; the standby serves readiness from the same store', async () => {
    const { all } = await replicas(2);
    try {
      await waitFor('a leader', () => all.some((r) => r.engine.isLeader()));
      const leader = all.find((r) => r.engine.isLeader())!;
      const standby = all.find((r) => r !== leader)!;
      expect(standby.engine.isLeader()).toBe(false);

      portal.resetStats();
      const leaderBefore = await fetchesOf(leader);
      const standbyBefore = await fetchesOf(standby);
      await waitFor('ten more fetches by the leader', async () => (await fetchesOf(leader)) - leaderBefore >= 10, { timeoutMs: 5_000 });
      const leaderDelta = (await fetchesOf(leader)) - leaderBefore;
      expect(await fetchesOf(standby)).toBe(standbyBefore);
      // every fetch the Portal saw came from the leader (give or take the one in flight while counting)
      expect(portal.stats().totalFetches - leaderDelta).toBeLessThanOrEqual(SITES.length);
      expect(await leader.metric('poslink_keysync_leader')).toBe(1);
      expect(await standby.metric('poslink_keysync_leader')).toBe(0);
      await waitFor('the standby to be ready', async () => (await standby.ready()).status === 200);
      expect(await standby.metric('poslink_keysync_site_keys', { site: 'lead-1' })).toBe(2);
    } finally {
      for (const r of all) await r.close();
    }
  });

  it('a replica that stops gracefully releases the lock and a standby takes over at once', async () => {
    const { all } = await replicas(2);
    try {
      await waitFor('a leader', () => all.some((r) => r.engine.isLeader()));
      const leader = all.find((r) => r.engine.isLeader())!;
      const standby = all.find((r) => r !== leader)!;
      const stoppedAt = Date.now();
      await leader.close();
      await waitFor('the standby to lead', () => standby.engine.isLeader(), { timeoutMs: LOCK_TTL_MS });
      // released, not expired: the standby's next attempt (every TTL/3) wins
      expect(Date.now() - stoppedAt).toBeLessThan(LOCK_TTL_MS);
      const before = await fetchesOf(standby);
      await waitFor('the new leader to fetch', async () => (await fetchesOf(standby)) > before);
    } finally {
      for (const r of all) await r.close();
    }
  });

  it('a replica whose lock is taken stops writing: no write fetched after the takeover lands', async () => {
    const { prefix, all } = await replicas(1);
    const [replica] = all;
    const lockKey = keySyncRedisLayout(prefix).leaderLock;
    const recordKey = `${prefix}:{site:lead-1}:keys`;
    try {
      await waitFor('leadership', () => replica!.engine.isLeader());
      await waitFor('a write', async () => (await redis.get(recordKey)) !== null);
      // Another replica "takes" the lock (as after a partition in which ours expired).
      await redis.set(lockKey, 'another-replica-token', 'PX', 60_000);
      const takenAt = Date.now();
      await waitFor('the step-down', () => !replica!.engine.isLeader(), { timeoutMs: LOCK_TTL_MS });
      expect(replica!.events('KeySyncLeaderLost')).toHaveLength(1);
      const fetchesAfterStepDown = await fetchesOf(replica!);
      // Proving that nothing happens takes a window: three poll intervals, then nothing may have been fetched,
      // and no record written from a fetch after the takeover.
      await quietPeriod(3 * 200);
      expect(await fetchesOf(replica!)).toBe(fetchesAfterStepDown);
      const record = JSON.parse((await redis.get(recordKey))!) as { fetchedAt: number };
      expect(record.fetchedAt).toBeLessThan(takenAt);
      expect(await redis.get(lockKey)).toBe('another-replica-token');

      // The other replica disappears without releasing: ours takes over once the lock expires.
      await redis.pexpire(lockKey, 1);
      await waitFor('leadership again', () => replica!.engine.isLeader(), { timeoutMs: LOCK_TTL_MS });
      await waitFor('writes again', async () => (JSON.parse((await redis.get(recordKey))!) as { fetchedAt: number }).fetchedAt > takenAt);
    } finally {
      for (const r of all) await r.close();
    }
  });
});

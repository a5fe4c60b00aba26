import { Registry } from 'prom-client';
import { MemoryKeyStore, MemoryPerKeyRateLimiter } from '@pos-link/keyring';
import { makeSiteKey } from '@pos-link/keyring/testing';
import { SoleLeader, type LeaderElection } from '../leader/leader-election';
import type { SiteObjectSource } from '../portal/portal-client';
import { KeySyncMetrics } from '../telemetry/key-sync-metrics';
import { KeySyncTelemetry, type KeySyncLogger } from '../telemetry/key-sync-telemetry';
import { KeySyncEngine } from './key-sync-engine';

// The engine with in-process collaborators: a MemoryKeyStore, a scripted Portal, an in-process election.
// The Redis and HTTP paths are covered by apps/key-sync/test against the real Redis and portal-sim.

/** A site object as the Portal writes it, for one fresh key. */
function siteObject(fingerprint: string): Record<string, unknown> {
  const key = makeSiteKey({ fingerprint });
  const iso = (ms: number) => new Date(ms).toISOString();
  return {
    security: {
      XKM: { encryption: true, keys: [{ fingerprint, value: key.value, valid_after: iso(key.validAfter), valid_until: iso(key.validUntil) }] },
    },
  };
}

/** A Portal whose fetches wait until the test releases them (to observe what happens meanwhile). */
class GatedPortal implements SiteObjectSource {
  readonly fetches: string[] = [];
  readonly #waiting: Array<() => void> = [];
  closed = false;

  async fetchSite(siteId: string): Promise<unknown> {
    this.fetches.push(siteId);
    await new Promise<void>((resolve) => this.#waiting.push(resolve));
    return siteObject(`fp-${siteId}-${this.fetches.length}`);
  }

  releaseAll(): void {
    for (const resolve of this.#waiting.splice(0)) resolve();
  }

  get pending(): number {
    return this.#waiting.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    this.releaseAll();
  }
}

class RecordingLogger implements KeySyncLogger {
  readonly records: Array<Record<string, unknown>> = [];
  debug = (obj: Record<string, unknown>): void => void this.records.push({ level: 'debug', ...obj });
  info = (obj: Record<string, unknown>): void => void this.records.push({ level: 'info', ...obj });
  warn = (obj: Record<string, unknown>): void => void this.records.push({ level: 'warn', ...obj });
  error = (obj: Record<string, unknown>): void => void this.records.push({ level: 'error', ...obj });
  events(name: string): Array<Record<string, unknown>> {
    return this.records.filter((r) => r['event'] === name);
  }
}

async function until(condition: () => boolean | Promise<boolean>, timeoutMs = 2_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 2));
  }
}

function build(portal: SiteObjectSource, election: LeaderElection = new SoleLeader(), store = new MemoryKeyStore()) {
  const logger = new RecordingLogger();
  const registry = new Registry();
  const engine = new KeySyncEngine({
    siteIds: ['s1', 's2'],
    service: 'XKM',
    pollMs: 60_000,
    refreshMinMs: 1_000,
    backoffMaxMs: 300,
    staleAfterMs: 120_000,
    store,
    portal,
    election,
    limiter: new MemoryPerKeyRateLimiter(1_000),
    telemetry: new KeySyncTelemetry(logger, new KeySyncMetrics(registry, ['s1', 's2'])),
    mode: 'memory',
    random: () => 0,
  });
  return { engine, logger, registry, store };
}

describe('KeySyncEngine', () => {
  it('is not ready before start, and ready once every site has a valid key', async () => {
    const portal = new GatedPortal();
    const { engine } = build(portal);
    expect(engine.readiness()).toEqual({ started: false, missing: ['s1', 's2'], degraded: [] });
    await engine.start();
    expect(engine.readiness()).toEqual({ started: true, missing: ['s1', 's2'], degraded: [] });
    await until(() => portal.pending === 2);
    portal.releaseAll();
    await until(() => engine.readiness().missing.length === 0);
    expect(engine.siteSnapshots().map((s) => [s.siteId, s.keyCount, s.degraded])).toEqual([
      ['s1', 1, false],
      ['s2', 1, false],
    ]);
    await engine.stop();
  });

  it('coalesces refresh requests with the fetch in flight, then rate-limits them', async () => {
    const portal = new GatedPortal();
    const { engine, registry } = build(portal);
    await engine.start();
    await until(() => portal.pending === 2);
    for (let i = 0; i < 100; i++) engine.requestRefresh('s1'); // the start-up fetch of s1 is in flight
    portal.releaseAll();
    await until(() => engine.readiness().missing.length === 0);
    expect(await registry.metrics()).toContain('poslink_keysync_refresh_requests_total{outcome="coalesced"} 100');
    // Within KEYSYNC_REFRESH_MIN_MS of that fetch: the first request asks the limiter (refused), the others
    // coalesce with that check.
    for (let i = 0; i < 100; i++) engine.requestRefresh('s1');
    engine.requestRefresh('nope');
    await until(async () => (await registry.metrics()).includes('poslink_keysync_refresh_requests_total{outcome="rate_limited"} 1'));
    const text = await registry.metrics();
    expect(text).toContain('poslink_keysync_refresh_requests_total{outcome="coalesced"} 199');
    expect(text).toContain('poslink_keysync_refresh_requests_total{outcome="fetched"} 0');
    expect(text).toContain('poslink_keysync_refresh_requests_total{outcome="unknown_site"} 1');
    expect([...portal.fetches].sort()).toEqual(['s1', 's2']);
    await engine.stop();
  });

  it('follows refresh requests that a fetch already under way cannot answer with exactly one more fetch, a window later', async () => {
    const portal = new GatedPortal();
    const { engine } = build(portal);
    await engine.start();
    await until(() => portal.pending === 2);
    for (let i = 0; i < 10; i++) engine.requestRefresh('s1'); // the start-up fetch of s1 began before them
    portal.releaseAll();
    await until(() => engine.readiness().missing.length === 0);
    expect(portal.fetches.filter((site) => site === 's1')).toHaveLength(1);
    engine.requestRefresh('s1'); // inside KEYSYNC_REFRESH_MIN_MS: joins the same follow-up
    await until(() => portal.pending === 1, 3_000);
    expect(portal.fetches.filter((site) => site === 's1')).toHaveLength(2);
    portal.releaseAll();
    await until(() => portal.pending === 0);
    expect(portal.fetches.filter((site) => site === 's1')).toHaveLength(2);
    await engine.stop();
  });

  it('fences: a valid object fetched after the lock was lost is not written, and is counted and logged', async () => {
    const portal = new GatedPortal();
    let confirmed = true;
    const sole = new SoleLeader();
    const election: LeaderElection = {
      start: () => sole.start(),
      isLeader: () => sole.isLeader(),
      confirm: async () => confirmed,
      onChange: (listener) => sole.onChange(listener),
      close: () => sole.close(),
    };
    const { engine, logger, registry, store } = build(portal, election);
    await engine.start();
    await until(() => portal.pending === 2);
    confirmed = false; // the lock is lost while the fetches are in flight
    portal.releaseAll();
    await until(() => logger.events('KeySyncWriteFencedError').length === 2);
    expect(await store.listSites()).toEqual([]);
    expect(await registry.metrics()).toContain('poslink_keysync_writes_fenced_total 2');
    expect(logger.events('KeySyncWriteFencedError')[0]).toMatchObject({ error_code: 'ERR_KEYSYNC_NOT_LEADER', level: 'warn' });
    await engine.stop();
  });

  it('a standby serves no refresh request and fetches nothing', async () => {
    const portal = new GatedPortal();
    const never: LeaderElection = {
      start: async () => undefined,
      isLeader: () => false,
      confirm: async () => false,
      onChange: () => () => undefined,
      close: async () => undefined,
    };
    const { engine, registry } = build(portal, never);
    await engine.start();
    engine.requestRefresh('s1');
    expect(portal.fetches).toEqual([]);
    expect(await registry.metrics()).toContain('poslink_keysync_refresh_requests_total{outcome="not_leader"} 1');
    await engine.stop();
  });

  it('stop() aborts the Portal, waits for running syncs and steps down', async () => {
    const portal = new GatedPortal();
    const election = new SoleLeader();
    const { engine, logger } = build(portal, election);
    await engine.start();
    await until(() => portal.pending === 2);
    await engine.stop();
    expect(portal.closed).toBe(true);
    expect(election.isLeader()).toBe(false);
    expect(logger.events('KeySyncLeaderLost')).toHaveLength(1);
    expect(logger.events('KeySyncSiteSynced')).toHaveLength(0); // nothing recorded after the stop
  });
});

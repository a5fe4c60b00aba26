import { setTimeout as sleep } from 'node:timers/promises';
import {
  KeyCache,
  RefreshRequestListener,
  canEncrypt,
  selectEncryptionKey,
  type KeyStore,
  type PerKeyRateLimiter,
} from '@pos-link/keyring';
import type { LeaderElection } from '../leader/leader-election';
import type { SiteObjectSource } from '../portal/portal-client';
import type { SiteGaugeSnapshot } from '../telemetry/key-sync-metrics';
import type { KeySyncTelemetry } from '../telemetry/key-sync-telemetry';
import { MIN_BACKOFF_MS, backoffDelay, nextPollDelay } from './schedule';
import { SiteState } from './site-state';
import { syncSiteOnce, type SiteSyncDeps } from './site-sync';
import type { SyncReport } from './sync-report';

/**
 * A new leader fetches every site at once, spread over at most this long so a thousand sites do not hit the
 * Portal in the same millisecond (and never later than one poll interval).
 */
const LEADER_START_SPREAD_MS = 1_000;

/** A failed start step (Redis not there yet) is retried after this long, doubling up to the cap. */
const START_RETRY_BASE_MS = 250;
const START_RETRY_MAX_MS = 5_000;

/** Options of {@link KeySyncEngine}. */
export interface KeySyncEngineOptions {
  /** `SITE_IDS`. */
  readonly siteIds: readonly string[];
  /** `PORTAL_SERVICE`. */
  readonly service: string;
  /** `KEYSYNC_POLL_MS`. */
  readonly pollMs: number;
  /** `KEYSYNC_REFRESH_MIN_MS`: floor between two polls and the on-demand rate limit (enforced by `limiter`). */
  readonly refreshMinMs: number;
  /** `KEYSYNC_BACKOFF_MAX_MS`. */
  readonly backoffMaxMs: number;
  /** A site whose keys were fetched longer ago than this is degraded on every replica (see the spec). */
  readonly staleAfterMs: number;
  /** Where keys are written (and read back for readiness and metrics). */
  readonly store: KeyStore;
  /** The Portal; owned: closed by {@link KeySyncEngine.stop}. */
  readonly portal: SiteObjectSource;
  /** Who leads; owned: closed (lock released) by {@link KeySyncEngine.stop}. */
  readonly election: LeaderElection;
  /** "At most one Portal fetch per site per `KEYSYNC_REFRESH_MIN_MS`" (shared across replicas in Redis mode). */
  readonly limiter: PerKeyRateLimiter;
  /** Logs and metrics (the engine binds itself as the gauges' source). */
  readonly telemetry: KeySyncTelemetry;
  /** `redis` or `memory` (logged at start). */
  readonly mode: 'redis' | 'memory';
  /** Token of this replica's lock, for the leadership logs. */
  readonly leaderToken?: string;
  /** Full reload period of the key cache under pub/sub (default: the keyring's 60 s). */
  readonly resyncIntervalMs?: number;
  /** Wall clock (ms since the epoch). */
  readonly clock?: () => number;
  /** Random source in [0, 1) for jitter. */
  readonly random?: () => number;
}

/** What `/health/ready` needs to know (DESIGN §2/§7). */
export interface KeySyncReadiness {
  /** The key cache is loaded (the store could be read). */
  readonly started: boolean;
  /** Sites with encryption on and no key valid now (or never synced). */
  readonly missing: readonly string[];
  /** Sites served stale keys (last sync failed, or keys older than the staleness limit): a warning only. */
  readonly degraded: readonly string[];
}

/**
 * key-sync's behaviour (DESIGN §2): while this replica leads, poll every configured site (jittered, sooner as
 * its last key nears `valid_until`), serve refresh requests within the rate limit and never during back-off,
 * back off on failures while the last good keys stay in the store (stale-while-error), and write only after
 * the fencing check. Every replica, leader or not, follows the store through a {@link KeyCache}, so readiness
 * and gauges say the same thing on all of them.
 */
export class KeySyncEngine {
  readonly #options: KeySyncEngineOptions;
  readonly #clock: () => number;
  readonly #random: () => number;
  readonly #sites = new Map<string, SiteState>();
  readonly #telemetry: KeySyncTelemetry;
  readonly #syncDeps: SiteSyncDeps;
  readonly #listener: RefreshRequestListener;
  #cache: KeyCache | undefined;
  #cacheReady = false;
  #removeLeadershipListener: (() => void) | undefined;
  #starting: Promise<void> | undefined;
  #stopping: Promise<void> | undefined;
  #stopped = false;

  /** @param options configuration and collaborators */
  constructor(options: KeySyncEngineOptions) {
    if (options.siteIds.length === 0) throw new TypeError('siteIds must not be empty');
    for (const [name, value] of Object.entries({
      pollMs: options.pollMs,
      backoffMaxMs: options.backoffMaxMs,
      staleAfterMs: options.staleAfterMs,
    })) {
      if (!Number.isFinite(value) || value < 1) throw new TypeError(`${name} must be >= 1`);
    }
    if (!Number.isFinite(options.refreshMinMs) || options.refreshMinMs < 0) throw new TypeError('refreshMinMs must be >= 0');
    this.#options = options;
    this.#clock = options.clock ?? Date.now;
    this.#random = options.random ?? Math.random;
    for (const siteId of options.siteIds) this.#sites.set(siteId, new SiteState(siteId));
    this.#telemetry = options.telemetry;
    this.#telemetry.bindGaugeSource({
      siteSnapshots: () => this.siteSnapshots(),
      isLeader: () => options.election.isLeader(),
    });
    this.#syncDeps = {
      portal: options.portal,
      store: options.store,
      service: options.service,
      confirmLeader: () => options.election.confirm(),
      clock: this.#clock,
    };
    this.#listener = new RefreshRequestListener(options.store, (siteId) => this.requestRefresh(siteId), {
      onError: (error, siteId) => this.#telemetry.refreshError(error, siteId),
    });
  }

  /**
   * Starts following the store, listening for refresh requests and campaigning for the lock. Each step is
   * retried (capped back-off) until it works or {@link stop} is called, so a replica started before Redis is
   * reachable comes up by itself. Idempotent; resolves once started (or stopped).
   */
  start(): Promise<void> {
    this.#starting ??= this.#start();
    return this.#starting;
  }

  /**
   * Stops polling, aborts Portal fetches in flight, waits for running syncs, releases the lock (a standby
   * takes over at its next attempt) and stops listening. Idempotent.
   */
  stop(): Promise<void> {
    this.#stopping ??= this.#stop();
    return this.#stopping;
  }

  /**
   * A reader asked for a site to be fetched now (DESIGN §2/§3: a gateway saw an unknown fingerprint). Served
   * only by the leader, at most once per site per `KEYSYNC_REFRESH_MIN_MS` whatever the request rate, coalesced
   * with a fetch in flight, and never while the site backs off after Portal errors.
   */
  requestRefresh(siteId: string): void {
    const site = this.#sites.get(siteId);
    if (site === undefined) return this.#telemetry.refreshRequested(siteId.slice(0, 128), 'unknown_site');
    if (this.#stopped || !this.#options.election.isLeader()) return this.#telemetry.refreshRequested(siteId, 'not_leader');
    if (site.running !== undefined) {
      site.refreshAgain = true; // served by one more fetch after the running one (it may predate the request)
      return this.#telemetry.refreshRequested(siteId, 'coalesced');
    }
    if (this.#clock() < site.backoffUntil) return this.#telemetry.refreshRequested(siteId, 'backoff');
    void this.#run(site, 'refresh');
  }

  /** Whether this replica currently leads. */
  isLeader(): boolean {
    return this.#options.election.isLeader();
  }

  /** Readiness: every site has a valid key (or encryption off); which sites are degraded. */
  readiness(now: number = this.#clock()): KeySyncReadiness {
    const cache = this.#cache;
    if (cache === undefined || !this.#cacheReady) return { started: false, missing: [...this.#sites.keys()], degraded: [] };
    const missing: string[] = [];
    const degraded: string[] = [];
    for (const siteId of this.#sites.keys()) {
      const site = cache.site(siteId);
      if (site === undefined || (site.encryption && !site.keys.some((lookup) => canEncrypt(lookup.key, now)))) missing.push(siteId);
      if (this.#isDegraded(siteId, now)) degraded.push(siteId);
    }
    return { started: true, missing, degraded };
  }

  /** One gauge snapshot per configured site (no key values). */
  siteSnapshots(now: number = this.#clock()): SiteGaugeSnapshot[] {
    return [...this.#sites.keys()].map((siteId) => {
      const site = this.#cacheReady ? this.#cache?.site(siteId) : undefined;
      const current = site === undefined ? undefined : selectEncryptionKey(site.keys.map((lookup) => lookup.key), now);
      return {
        siteId,
        known: site !== undefined,
        encryption: site?.encryption ?? true,
        keyCount: site?.keys.length ?? 0,
        lastSuccessAgeSeconds: site === undefined ? undefined : Math.max(0, now - site.fetchedAt) / 1000,
        currentKeyExpirySeconds: current === undefined ? 0 : Math.max(0, current.validUntil - now) / 1000,
        degraded: this.#isDegraded(siteId, now),
      };
    });
  }

  /** The engine's view of one site (tests, diagnostics): failures, back-off, last outcome. */
  siteStatus(siteId: string): Readonly<Pick<SiteState, 'failures' | 'backoffUntil' | 'lastOutcome' | 'lastErrorCode'>> | undefined {
    const site = this.#sites.get(siteId);
    if (site === undefined) return undefined;
    const { failures, backoffUntil, lastOutcome, lastErrorCode } = site;
    return { failures, backoffUntil, lastOutcome, lastErrorCode };
  }

  #isDegraded(siteId: string, now: number): boolean {
    if ((this.#sites.get(siteId)?.failures ?? 0) > 0) return true;
    const fetchedAt = this.#cacheReady ? this.#cache?.site(siteId)?.fetchedAt : undefined;
    return fetchedAt !== undefined && now - fetchedAt > this.#options.staleAfterMs;
  }

  async #start(): Promise<void> {
    this.#removeLeadershipListener = this.#options.election.onChange(this.#onLeadership);
    await this.#retry('refresh-listener', async () => {
      await this.#listener.start();
      if (this.#stopped) await this.#listener.close(); // stop() ran while Redis was not there yet
    });
    await this.#retry('key-cache', () => this.#startCache());
    await this.#retry('leader-election', () => this.#options.election.start());
    if (!this.#stopped) this.#telemetry.started(this.#options.siteIds, this.#options.mode);
  }

  /** A fresh cache per attempt: a `KeyCache` whose first load failed stays failed. */
  async #startCache(): Promise<void> {
    const cache = new KeyCache(this.#options.store, {
      siteIds: this.#options.siteIds,
      resyncIntervalMs: this.#options.resyncIntervalMs,
      onError: (error, siteId) => this.#telemetry.cacheError(error, siteId),
    });
    try {
      await cache.start();
    } catch (error) {
      await cache.close();
      throw error;
    }
    if (this.#stopped) return cache.close();
    this.#cache = cache;
    this.#cacheReady = true;
  }

  async #retry(step: string, attempt: () => Promise<void>): Promise<void> {
    for (let failures = 0; !this.#stopped; failures += 1) {
      try {
        return await attempt();
      } catch (error) {
        if (this.#stopped) return;
        const delay = Math.min(START_RETRY_MAX_MS, START_RETRY_BASE_MS * 2 ** Math.min(failures, 10));
        this.#telemetry.startFailed(step, error, delay);
        await sleep(delay, undefined, { ref: false });
      }
    }
  }

  readonly #onLeadership = (leader: boolean): void => {
    this.#telemetry.leadership(leader, this.#options.leaderToken);
    for (const site of this.#sites.values()) {
      site.cancelTimer();
      // The failure streak and back-off belong to the leader's term: a standby judges staleness by the store.
      site.failures = 0;
      site.failingSince = undefined;
      site.backoffUntil = 0;
      // The previous leader may have fetched a moment ago: the shared rate limiter absorbs that.
      if (leader && !this.#stopped) this.#schedule(site, this.#random() * Math.min(LEADER_START_SPREAD_MS, this.#options.pollMs));
    }
  };

  /**
   * One more fetch of the site once `KEYSYNC_REFRESH_MIN_MS` has passed, for a refresh request that a fetch
   * already under way (or just done) could not answer (docs/specs/key-sync.md §7). Later requests join it.
   */
  #followUp(site: SiteState): void {
    site.refreshAgain = false;
    if (site.followUpDue || this.#stopped || !this.#options.election.isLeader()) return;
    this.#schedule(site, this.#options.refreshMinMs);
    site.followUpDue = true;
  }

  #schedule(site: SiteState, delayMs: number): void {
    site.cancelTimer();
    if (this.#stopped || !this.#options.election.isLeader()) return;
    site.timer = setTimeout(() => {
      site.timer = undefined;
      site.followUpDue = false;
      void this.#run(site, 'poll');
    }, Math.max(0, Math.round(delayMs)));
    site.timer.unref();
  }

  /** One sync of a site, single-flight: a poll or refresh arriving meanwhile shares it. */
  #run(site: SiteState, trigger: 'poll' | 'refresh'): Promise<void> {
    site.running ??= this.#runOnce(site, trigger).finally(() => {
      site.running = undefined;
      if (site.refreshAgain) this.#followUp(site);
    });
    return site.running;
  }

  async #runOnce(site: SiteState, trigger: 'poll' | 'refresh'): Promise<void> {
    if (this.#stopped || !this.#options.election.isLeader()) return;
    let acquired: boolean;
    try {
      acquired = await this.#options.limiter.tryAcquire(site.siteId);
    } catch (error) {
      // Redis cannot say whether a fetch ran lately: skip rather than risk hammering the Portal.
      this.#telemetry.rateLimiterError(error, site.siteId);
      if (trigger === 'refresh') this.#telemetry.refreshRequested(site.siteId, 'error');
      if (site.timer === undefined) this.#schedule(site, Math.max(this.#options.refreshMinMs, MIN_BACKOFF_MS));
      return;
    }
    // A poll always fetches (its interval is at least KEYSYNC_REFRESH_MIN_MS); its acquire only starts the
    // interval, so a refresh request right after it is limited. A refresh fetches only with the token.
    if (trigger === 'refresh') {
      this.#telemetry.refreshRequested(site.siteId, acquired ? 'fetched' : 'rate_limited');
      if (!acquired) {
        // The last fetch began inside the window, maybe before what the reader saw: follow it up once the
        // window has passed (still at most one fetch per KEYSYNC_REFRESH_MIN_MS).
        this.#followUp(site);
        return;
      }
    }
    if (this.#stopped || !this.#options.election.isLeader()) return;
    site.cancelTimer();
    const report = await syncSiteOnce(this.#syncDeps, site.siteId);
    if (this.#stopped) return; // shutdown aborted the fetch: nothing to record
    this.#record(site, report);
  }

  #record(site: SiteState, report: SyncReport): void {
    const now = this.#clock();
    site.lastOutcome = report.outcome;
    site.lastErrorCode = report.errorCode;
    if (report.status === 'fenced') {
      this.#telemetry.synced(report, site.failures, undefined);
      // Lost: the election's change listener has stopped the timers. Unconfirmed (Redis error) but still
      // within the lease: try again later rather than never.
      if (this.#options.election.isLeader()) this.#schedule(site, Math.max(this.#options.refreshMinMs, MIN_BACKOFF_MS));
      return;
    }
    if (report.status === 'written') {
      const recovered = site.failures;
      const since = site.failingSince;
      site.failures = 0;
      site.failingSince = undefined;
      site.backoffUntil = 0;
      site.listed = report.listed ?? [];
      const delay = nextPollDelay(site.listed, now, this.#options, this.#random());
      this.#telemetry.synced(report, 0, delay);
      if (recovered > 0) this.#telemetry.siteRecovered(site.siteId, recovered, now - (since ?? now));
      this.#schedule(site, delay);
      return;
    }
    site.failures += 1;
    if (site.failures === 1) site.failingSince = now;
    const delay = backoffDelay(site.failures, this.#options, this.#random());
    site.backoffUntil = now + delay;
    this.#telemetry.synced(report, site.failures, delay);
    if (site.failures === 1) this.#telemetry.siteDegraded(site.siteId, report.errorCode);
    this.#schedule(site, delay);
  }

  async #stop(): Promise<void> {
    this.#stopped = true;
    for (const site of this.#sites.values()) site.cancelTimer();
    await this.#options.portal.close(); // aborts fetches in flight: shutdown is not held up by a slow Portal
    await Promise.allSettled([...this.#sites.values()].map((site) => site.running));
    // A start step still waiting for Redis is not awaited: each step checks `#stopped` when it completes.
    // Every step runs even when an earlier one fails (a shutdown during a Redis outage must still release what
    // it can); the first failure is then reported to the caller.
    const failures: unknown[] = [];
    const step = async (run: () => Promise<void> | void): Promise<void> => {
      try {
        await run();
      } catch (error) {
        failures.push(error);
      }
    };
    await step(() => this.#options.election.close());
    this.#removeLeadershipListener?.();
    await step(() => this.#listener.close());
    this.#cacheReady = false;
    await step(() => this.#cache?.close());
    if (failures.length > 0) throw failures[0];
  }
}

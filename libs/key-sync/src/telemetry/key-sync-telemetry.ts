import type { SyncReport } from '../sync/sync-report';
import type { KeySyncGaugeSource, KeySyncMetrics, RefreshOutcome } from './key-sync-metrics';

/**
 * The logging surface key-sync needs: structurally a subset of a pino `Logger`, so the platform's logger is
 * passed as is and tests may pass a recorder.
 */
export interface KeySyncLogger {
  debug(obj: Record<string, unknown>, msg: string): void;
  info(obj: Record<string, unknown>, msg: string): void;
  warn(obj: Record<string, unknown>, msg: string): void;
  error(obj: Record<string, unknown>, msg: string): void;
}

/**
 * key-sync's typed telemetry events, the ONE events file of the service (STYLE 13): each method logs one
 * `<Area><Noun><Verb>[Error]` event and updates its metrics. Fields are bounded and never hold a key value, the
 * Portal credentials or a Portal body: site ids, fingerprints (public identifiers, DESIGN §3), outcomes, codes
 * and the error registries' messages.
 */
export class KeySyncTelemetry {
  readonly #log: KeySyncLogger;
  readonly #metrics: KeySyncMetrics;

  /**
   * @param log the app's logger
   * @param metrics the app's key-sync metrics
   */
  constructor(log: KeySyncLogger, metrics: KeySyncMetrics) {
    this.#log = log;
    this.#metrics = metrics;
  }

  /** Points the scrape-time gauges at `source` (the engine). */
  bindGaugeSource(source: KeySyncGaugeSource): void {
    this.#metrics.bindGaugeSource(source);
  }

  /**
   * KeySyncSiteSynced / KeySyncSiteFetchError / KeySyncSiteRejectedError / KeySyncStoreWriteError /
   * KeySyncWriteFencedError: the result of one sync. `retryInMs` is when the site is tried again.
   */
  synced(report: SyncReport, failures: number, retryInMs: number | undefined): void {
    const site = report.siteId;
    if (report.status !== 'fenced') this.#metrics.fetched(site, report.outcome);
    if (report.errorCode !== undefined && report.status !== 'fenced') {
      this.#metrics.failures.inc({ site, error_code: report.errorCode });
    }
    const common = { site, outcome: report.outcome, error_code: report.errorCode, reason: report.reason };
    switch (report.status) {
      case 'written': {
        const w = report.written;
        const changed = w !== undefined && (w.added.length > 0 || w.dropped.length > 0);
        const fields = {
          event: 'KeySyncSiteSynced',
          site,
          encryption: report.encryption,
          stored: w?.stored,
          added: w?.added,
          retained: w?.retained,
          dropped: w?.dropped,
          next_poll_ms: retryInMs,
        };
        if (changed) this.#log.info(fields, 'site keys changed');
        else this.#log.debug(fields, 'site keys unchanged');
        return;
      }
      case 'fetch_failed':
        this.#log.warn({ event: 'KeySyncSiteFetchError', ...common, failures, retry_in_ms: retryInMs }, 'Portal fetch failed; last good keys kept');
        return;
      case 'rejected':
        this.#log.warn(
          { event: 'KeySyncSiteRejectedError', ...common, failures, retry_in_ms: retryInMs },
          'site object refused; last good keys kept',
        );
        return;
      case 'store_failed':
        this.#log.error({ event: 'KeySyncStoreWriteError', ...common, failures, retry_in_ms: retryInMs }, 'key store write failed');
        return;
      case 'fenced':
        this.#metrics.writesFenced.inc();
        this.#log.warn({ event: 'KeySyncWriteFencedError', site, error_code: report.errorCode }, 'leader lock lost: write skipped');
        return;
    }
  }

  /** KeySyncSiteDegraded: the first failed sync after a success (stale-while-error begins). */
  siteDegraded(site: string, errorCode: string | undefined): void {
    this.#log.warn({ event: 'KeySyncSiteDegraded', site, error_code: errorCode }, 'site degraded: serving the last good keys');
  }

  /** KeySyncSiteRecovered: the first successful sync after failures. */
  siteRecovered(site: string, failures: number, degradedMs: number): void {
    this.#log.info({ event: 'KeySyncSiteRecovered', site, failures, degraded_ms: degradedMs }, 'site recovered');
  }

  /** KeySyncLeaderAcquired / KeySyncLeaderLost. */
  leadership(leader: boolean, token: string | undefined): void {
    this.#metrics.leaderChanges.inc({ change: leader ? 'acquired' : 'lost' });
    if (leader) this.#log.info({ event: 'KeySyncLeaderAcquired', token }, 'leader lock acquired: refreshing keys');
    else this.#log.warn({ event: 'KeySyncLeaderLost', token }, 'leader lock lost or released: standing by');
  }

  /** KeySyncRefreshRequested: counted always, logged at debug (a burst must not flood the log). */
  refreshRequested(site: string, outcome: RefreshOutcome): void {
    this.#metrics.refreshRequests.inc({ outcome });
    this.#log.debug({ event: 'KeySyncRefreshRequested', site, outcome }, 'refresh request');
  }

  /** KeySyncLockError: Redis refused or failed a lock command (the election keeps trying). */
  lockError(error: unknown): void {
    this.#log.warn({ event: 'KeySyncLockError', reason: describe(error) }, 'leader lock command failed');
  }

  /** KeySyncStartError: a start step failed; it is retried after `retryInMs`. */
  startFailed(step: string, error: unknown, retryInMs: number): void {
    this.#log.error({ event: 'KeySyncStartError', step, reason: describe(error), retry_in_ms: retryInMs }, 'key-sync start step failed');
  }

  /** KeySyncStarted: the cache is loaded and the election runs. */
  started(sites: readonly string[], mode: 'redis' | 'memory'): void {
    this.#log.info({ event: 'KeySyncStarted', sites, mode }, 'key-sync started');
  }

  /** KeySyncCacheLoadError: reading the store back failed (the cache keeps its last view). */
  cacheError(error: unknown, site: string | undefined): void {
    this.#log.warn({ event: 'KeySyncCacheLoadError', site, reason: describe(error) }, 'key store read failed');
  }

  /** KeySyncRateLimiterError: the shared rate limiter (Redis) could not be asked; no refresh fetch ran. */
  rateLimiterError(error: unknown, site: string): void {
    this.#log.warn({ event: 'KeySyncRateLimiterError', site, reason: describe(error) }, 'refresh rate limiter unavailable');
  }

  /** KeySyncStoreError: the key store's subscriber or a fingerprint release failed (it carries on). */
  storeError(error: unknown): void {
    this.#log.warn({ event: 'KeySyncStoreError', reason: describe(error) }, 'key store background error');
  }

  /** KeySyncRefreshHandlerError: a refresh request could not be handled. */
  refreshError(error: unknown, site: string): void {
    this.#log.error({ event: 'KeySyncRefreshHandlerError', site, reason: describe(error) }, 'refresh request failed');
  }
}

/**
 * `code: message` of an error, bounded. Only used for errors of our own libs and of ioredis/undici, whose
 * messages hold no key values (the registries say so); never for an error carrying a Portal body.
 */
function describe(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  const text = typeof code === 'string' && !message.includes(code) ? `${code}: ${message}` : message;
  return text.slice(0, 300);
}

import { Counter, Gauge, type Registry } from 'prom-client';
import { FETCH_OUTCOMES, type FetchOutcome } from '../sync/sync-report';

/**
 * What a refresh request led to (the `outcome` label of `poslink_keysync_refresh_requests_total`, bounded):
 * `fetched` — a Portal fetch ran; `rate_limited` — one ran within `KEYSYNC_REFRESH_MIN_MS`; `coalesced` — a
 * fetch of the site was already in flight; `backoff` — the site is backing off after Portal errors;
 * `not_leader` — a standby (the leader serves it); `unknown_site` — not in `SITE_IDS`; `error` — the shared
 * rate limiter could not be asked (Redis), so nothing was fetched.
 */
export type RefreshOutcome = 'fetched' | 'rate_limited' | 'coalesced' | 'backoff' | 'not_leader' | 'unknown_site' | 'error';

/** Every {@link RefreshOutcome}. */
export const REFRESH_OUTCOMES: readonly RefreshOutcome[] = [
  'fetched',
  'rate_limited',
  'coalesced',
  'backoff',
  'not_leader',
  'unknown_site',
  'error',
];

/** The per-site figures the gauges show, computed at scrape time from what every replica can see. */
export interface SiteGaugeSnapshot {
  /** The configured site id (the `site` label: bounded by `SITE_IDS`). */
  readonly siteId: string;
  /** Whether the site's stored keys are known (false: never synced yet; the key gauges are omitted). */
  readonly known: boolean;
  /** Whether the site uses ALE; when false there is no current key to expire. */
  readonly encryption: boolean;
  /** Keys stored (listed + retained). */
  readonly keyCount: number;
  /** Seconds since the keys were last fetched successfully (the record's `fetchedAt`). */
  readonly lastSuccessAgeSeconds: number | undefined;
  /** Seconds until the current encryption key expires (0: none valid now). */
  readonly currentKeyExpirySeconds: number;
  /** 1 while the site is degraded (last sync failed, or keys stale): the DESIGN §2 "metric and health warning". */
  readonly degraded: boolean;
}

/** What the scrape-time gauges read. */
export interface KeySyncGaugeSource {
  /** One snapshot per configured site. */
  siteSnapshots(): readonly SiteGaugeSnapshot[];
  /** Whether this replica leads. */
  isLeader(): boolean;
}

/**
 * key-sync's Prometheus metrics (DESIGN §2/§7), on the app's own registry, `site` label = a configured site id
 * (bounded). Counters are pre-created at zero for every site and outcome so rates work from the first scrape;
 * gauges are computed at scrape time (`collect`) from the key cache, so standbys report the same keys as the
 * leader. Names follow `<ns>_<name>_<unit>_total` (STYLE 13).
 */
export class KeySyncMetrics {
  /** `poslink_keysync_portal_fetches_total{site,outcome}`. */
  readonly fetches: Counter<'site' | 'outcome'>;
  /** `poslink_keysync_sync_failures_total{site,error_code}`: every failed sync with its reason code. */
  readonly failures: Counter<'site' | 'error_code'>;
  /** `poslink_keysync_refresh_requests_total{outcome}`. */
  readonly refreshRequests: Counter<'outcome'>;
  /** `poslink_keysync_writes_fenced_total`: writes skipped because the lock was lost. */
  readonly writesFenced: Counter;
  /** `poslink_keysync_leader_changes_total{change}`: `acquired` / `lost`. */
  readonly leaderChanges: Counter<'change'>;
  #source: KeySyncGaugeSource | undefined;

  /**
   * @param registry the app instance's registry
   * @param siteIds the configured sites (label values)
   */
  constructor(registry: Registry, siteIds: readonly string[]) {
    const registers = [registry];
    this.fetches = new Counter({
      name: 'poslink_keysync_portal_fetches_total',
      help: 'Portal site-object fetches by site and outcome (ok, http_error, timeout, invalid, conflict)',
      labelNames: ['site', 'outcome'],
      registers,
    });
    this.failures = new Counter({
      name: 'poslink_keysync_sync_failures_total',
      help: 'Failed site syncs by site and error code (the last good keys were kept)',
      labelNames: ['site', 'error_code'],
      registers,
    });
    this.refreshRequests = new Counter({
      name: 'poslink_keysync_refresh_requests_total',
      help: 'On-demand refresh requests by outcome',
      labelNames: ['outcome'],
      registers,
    });
    this.writesFenced = new Counter({
      name: 'poslink_keysync_writes_fenced_total',
      help: 'Key writes skipped because this replica no longer held the leader lock',
      registers,
    });
    this.leaderChanges = new Counter({
      name: 'poslink_keysync_leader_changes_total',
      help: 'Leader lock acquired / lost by this replica',
      labelNames: ['change'],
      registers,
    });
    for (const site of siteIds) for (const outcome of FETCH_OUTCOMES) this.fetches.inc({ site, outcome }, 0);
    for (const outcome of REFRESH_OUTCOMES) this.refreshRequests.inc({ outcome }, 0);
    for (const change of ['acquired', 'lost']) this.leaderChanges.inc({ change }, 0);
    registerGauges(registers, () => this.#source);
  }

  /** Sets what the scrape-time gauges read (the engine, once built); until then they are empty. */
  bindGaugeSource(source: KeySyncGaugeSource): void {
    this.#source = source;
  }

  /** Counts one Portal fetch. */
  fetched(site: string, outcome: FetchOutcome): void {
    this.fetches.inc({ site, outcome });
  }
}

/** The scrape-time gauges; each `collect` reads a fresh snapshot. */
function registerGauges(registers: Registry[], source: () => KeySyncGaugeSource | undefined): void {
  const perSite = (
    name: string,
    help: string,
    value: (s: SiteGaugeSnapshot) => number | undefined,
  ): Gauge<'site'> =>
    new Gauge({
      name,
      help,
      labelNames: ['site'],
      registers,
      collect() {
        this.reset();
        for (const snapshot of source()?.siteSnapshots() ?? []) {
          const v = value(snapshot);
          if (v !== undefined) this.set({ site: snapshot.siteId }, v);
        }
      },
    });
  perSite('poslink_keysync_last_success_age_seconds', 'Seconds since the site keys were last fetched and written', (s) =>
    s.lastSuccessAgeSeconds,
  );
  perSite('poslink_keysync_site_keys', 'Keys stored for the site (listed and retained)', (s) => (s.known ? s.keyCount : undefined));
  perSite('poslink_keysync_current_key_expiry_seconds', 'Seconds until the current encryption key expires (0: none valid)', (s) =>
    s.known && s.encryption ? s.currentKeyExpirySeconds : undefined,
  );
  perSite('poslink_keysync_site_degraded', '1 while the site is served stale keys (last sync failed or keys too old)', (s) =>
    s.degraded ? 1 : 0,
  );
  new Gauge({
    name: 'poslink_keysync_leader',
    help: '1 while this replica holds the leader lock and refreshes keys',
    registers,
    collect() {
      this.set(source()?.isLeader() === true ? 1 : 0);
    },
  });
}

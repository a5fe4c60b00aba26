import { KeyCache, RefreshRequester, isValidSiteId, type CachedSite, type KeyLookup, type KeyStore } from '@pos-link/keyring';
import type { KeySource } from './key-source';

/** First retry of a failed cache start; doubled per attempt up to {@link MAX_RETRY_MS}, jittered. */
const FIRST_RETRY_MS = 250;
/** Retries of a failed start never wait longer than this: a gateway must pick its keys up soon after Redis returns. */
const MAX_RETRY_MS = 5_000;

/** What {@link GatewayKeys} reports (the Nest module turns these into log lines and metrics). */
export interface GatewayKeysListener {
  /** The cache loaded every site (first success). */
  loaded(siteCount: number): void;
  /** A start attempt failed; another follows after `retryInMs`. */
  loadFailed(error: unknown, attempt: number, retryInMs: number): void;
  /** A background reload of the started cache failed (it keeps the last good keys). */
  cacheError(error: unknown, siteId: string | undefined): void;
  /** An on-demand refresh request was published, throttled locally, or could not be published. */
  refreshRequested(result: 'published' | 'throttled' | 'failed', error?: unknown): void;
}

/** Options of {@link GatewayKeys}. */
export interface GatewayKeysOptions {
  /** The key store key-sync writes (Redis, or the standalone process's shared memory store). */
  readonly store: KeyStore;
  /** Resolves when the store's connections are usable (Redis ready); rejects to retry later. */
  readonly whenStoreReady?: () => Promise<void>;
  /** Local throttle of refresh requests per site (ms); key-sync enforces the real limit. */
  readonly refreshRequestIntervalMs?: number;
  /** Full reload period of the cache (ms); default the keyring's. */
  readonly resyncIntervalMs?: number;
  /** Receives what happens; default: nothing. */
  readonly listener?: Partial<GatewayKeysListener>;
}

/**
 * The gateway's keys (DESIGN §2/§3): a `KeyCache` started in the background and restarted until it loads,
 * so a gateway booted while Redis is down still comes up (not ready, answering from no keys: fail closed)
 * and picks its keys up once Redis is back. Once loaded, lookups are map reads that never touch Redis;
 * a Redis outage afterwards leaves the cached keys serving.
 */
export class GatewayKeys implements KeySource {
  readonly #store: KeyStore;
  readonly #options: GatewayKeysOptions;
  readonly #refresher: RefreshRequester;
  readonly #loaded: Promise<void>;
  #resolveLoaded!: () => void;
  #cache: KeyCache | undefined;
  #starting: Promise<void> | undefined;
  #retryTimer: NodeJS.Timeout | undefined;
  #wakeRetry: (() => void) | undefined;
  #closed = false;

  /** @param options store, readiness wait, tuning and listener */
  constructor(options: GatewayKeysOptions) {
    this.#store = options.store;
    this.#options = options;
    this.#refresher = new RefreshRequester(options.store, options.refreshRequestIntervalMs);
    this.#loaded = new Promise<void>((resolve) => (this.#resolveLoaded = resolve));
  }

  /** Starts loading (idempotent); resolves once loaded — which may take as long as the store is down. */
  start(): Promise<void> {
    this.#starting ??= this.#run();
    return this.#loaded;
  }

  /** True once the cache has loaded. */
  get isLoaded(): boolean {
    return this.#cache !== undefined;
  }

  /** {@inheritDoc KeySource.lookup} */
  lookup(fingerprint: string): KeyLookup | undefined {
    return this.#cache?.lookup(fingerprint);
  }

  /** {@inheritDoc KeySource.site} */
  site(siteId: string): CachedSite | undefined {
    return this.#cache?.site(siteId);
  }

  /** The cached site ids (for diagnostics and tests). */
  siteIds(): string[] {
    return this.#cache?.siteIds() ?? [];
  }

  /** {@inheritDoc KeySource.refreshAndWait} */
  async refreshAndWait(siteId: string, waitMs: number, fingerprint: string): Promise<boolean> {
    const cache = this.#cache;
    if (cache === undefined || !isValidSiteId(siteId)) return false;
    let answered: Promise<boolean>;
    try {
      // The epoch first: a fetch that reads it afterwards began after this request. Until such a listing is
      // applied, only the fingerprint itself ends the wait — a fetch already under way may predate a key
      // rotation (docs/specs/key-sync.md §7). The wait is registered before the request goes out.
      const epoch = await this.#store.beginRefresh(siteId);
      const fresh = (): boolean => cache.lookup(fingerprint) !== undefined || (cache.site(siteId)?.refreshEpoch ?? 0) >= epoch;
      answered = cache.waitUntil(siteId, fresh, waitMs);
      const published = await this.#refresher.request(siteId);
      this.#options.listener?.refreshRequested?.(published ? 'published' : 'throttled');
    } catch (error) {
      this.#options.listener?.refreshRequested?.('failed', error);
      return false; // the store is down: nobody will answer (a registered wait ends at its bound)
    }
    return answered;
  }

  /** {@inheritDoc KeySource.lookupOrLoad} */
  lookupOrLoad(fingerprint: string): Promise<KeyLookup | undefined> {
    return this.#cache?.lookupOrLoad(fingerprint) ?? Promise.resolve(undefined);
  }

  /**
   * Stops retrying and closes the cache (not the store: its owner closes it). Rejects when the cache could
   * not unsubscribe (store down); it is forgotten either way.
   */
  async close(): Promise<void> {
    this.#closed = true;
    if (this.#retryTimer !== undefined) clearTimeout(this.#retryTimer);
    this.#wakeRetry?.();
    await this.#starting;
    const cache = this.#cache;
    this.#cache = undefined;
    await cache?.close();
  }

  async #run(): Promise<void> {
    for (let attempt = 1; !this.#closed; attempt++) {
      const cache = new KeyCache(this.#store, {
        resyncIntervalMs: this.#options.resyncIntervalMs,
        onError: (error, siteId) => this.#options.listener?.cacheError?.(error, siteId),
      });
      try {
        await this.#options.whenStoreReady?.();
        await cache.start();
      } catch (error) {
        await cache.close().catch(() => undefined);
        const retryInMs = retryDelay(attempt);
        this.#options.listener?.loadFailed?.(error, attempt, retryInMs);
        await this.#sleep(retryInMs);
        continue;
      }
      if (this.#closed) {
        await cache.close();
        return;
      }
      this.#cache = cache;
      this.#options.listener?.loaded?.(cache.siteIds().length);
      this.#resolveLoaded();
      return;
    }
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.#wakeRetry = resolve;
      this.#retryTimer = setTimeout(resolve, ms);
      this.#retryTimer.unref();
    });
  }
}

function retryDelay(attempt: number): number {
  const ceiling = Math.min(MAX_RETRY_MS, FIRST_RETRY_MS * 2 ** Math.min(attempt - 1, 10));
  return Math.round(ceiling * (0.5 + Math.random() / 2));
}

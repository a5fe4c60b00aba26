import type { KeyStore, Unsubscribe } from './key-store';
import { MemoryPerKeyRateLimiter } from './rate-limiter';
import { assertSiteId } from './site-key';

/**
 * A reader publishes at most one refresh request per site this often. key-sync enforces the real limit
 * (`KEYSYNC_REFRESH_MIN_MS`, default 5 s); this only keeps a flood of unknown fingerprints from becoming a
 * flood of PUBLISHes.
 */
export const DEFAULT_REFRESH_REQUEST_INTERVAL_MS = 1000;

/**
 * The reader side of "refresh a site at once on request" (DESIGN §2/§3): a gateway that sees an unknown
 * fingerprint advances the site's refresh epoch (`KeyStore.beginRefresh`), asks key-sync to fetch the site now,
 * then waits briefly with `KeyCache.waitUntil` (docs/specs/key-sync.md §7).
 */
export class RefreshRequester {
  readonly #store: KeyStore;
  readonly #limiter: MemoryPerKeyRateLimiter;

  /**
   * @param store the key store whose channel carries the request
   * @param minIntervalMs local throttle per site (0: every call publishes)
   */
  constructor(store: KeyStore, minIntervalMs: number = DEFAULT_REFRESH_REQUEST_INTERVAL_MS) {
    this.#store = store;
    this.#limiter = new MemoryPerKeyRateLimiter(minIntervalMs);
  }

  /**
   * Publishes a refresh request for `siteId` unless one was published from here within the interval.
   * @returns true when a request was published
   */
  async request(siteId: string): Promise<boolean> {
    assertSiteId(siteId);
    if (!this.#limiter.tryAcquireNow(siteId)) return false;
    await this.#store.publishRefreshRequest(siteId);
    return true;
  }
}

/** Options of {@link RefreshRequestListener}. */
export interface RefreshRequestListenerOptions {
  /** Receives what the handler throws or rejects with (the listener keeps listening). */
  readonly onError?: (error: unknown, siteId: string) => void;
}

/**
 * The key-sync side: calls `handler(siteId)` for every refresh request from any reader. Rate limiting and
 * Portal back-off are the handler's business (see `PerKeyRateLimiter`).
 */
export class RefreshRequestListener {
  readonly #store: KeyStore;
  readonly #handler: (siteId: string) => void | Promise<void>;
  readonly #onError: (error: unknown, siteId: string) => void;
  #unsubscribe: Unsubscribe | undefined;

  /**
   * @param store the key store whose channel carries the requests
   * @param handler called once per request
   * @param options error hook
   */
  constructor(store: KeyStore, handler: (siteId: string) => void | Promise<void>, options: RefreshRequestListenerOptions = {}) {
    this.#store = store;
    this.#handler = handler;
    this.#onError = options.onError ?? (() => undefined);
  }

  /** Subscribes; resolves once requests are being received. */
  async start(): Promise<void> {
    if (this.#unsubscribe !== undefined) return;
    this.#unsubscribe = await this.#store.subscribeRefreshRequests((siteId) => {
      try {
        Promise.resolve(this.#handler(siteId)).catch((error: unknown) => this.#onError(error, siteId));
      } catch (error) {
        this.#onError(error, siteId);
      }
    });
  }

  /** Stops listening. */
  async close(): Promise<void> {
    const unsubscribe = this.#unsubscribe;
    this.#unsubscribe = undefined;
    await unsubscribe?.();
  }
}

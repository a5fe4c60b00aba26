import type { KeyObject } from 'node:crypto';
import { deriveAleKey, toAesKeyObject } from '@pos-link/crypto';
import type { KeyStore, Unsubscribe } from './key-store';
import { assertSiteId, isValidFingerprint, type SiteKey, type SiteKeys } from './site-key';
import { selectEncryptionKey } from './validity';

/**
 * A safety net under pub/sub (which drops messages while a subscriber is disconnected): every site is reloaded
 * this often even without a notification. Keys rotate on the scale of hours, so a minute is ample.
 */
export const DEFAULT_RESYNC_INTERVAL_MS = 60_000;

/** What {@link KeyCache.lookup} returns for a known fingerprint. Never log it: it holds the key. */
export interface KeyLookup {
  /** The site the fingerprint belongs to. */
  readonly siteId: string;
  /** The key (validity for `canDecrypt`/`canEncrypt`; its value is secret). */
  readonly key: SiteKey;
  /**
   * K = SHA-256(UTF-8(value)) (DESIGN §2), computed once per fingerprint and value, held as a secret
   * `KeyObject`: the form the ciphers take fastest on Node 24 (see `toAesKeyObject` in libs/crypto).
   */
  readonly material: KeyObject;
}

/** One cached site. */
export interface CachedSite {
  /** The site id. */
  readonly siteId: string;
  /** Whether the site uses ALE (false: plaintext, DESIGN §3). */
  readonly encryption: boolean;
  /** When key-sync fetched the keys from the Portal (staleness). */
  readonly fetchedAt: number;
  /** The refresh epoch of the fetch that produced these keys (`SiteKeys.refreshEpoch`, 0 when none). */
  readonly refreshEpoch: number;
  /** The stored keys, listed ones first. */
  readonly keys: readonly KeyLookup[];
}

/** Options of {@link KeyCache}. */
export interface KeyCacheOptions {
  /** Only these sites (an ingress serves one); default: every site the store lists. */
  readonly siteIds?: readonly string[];
  /** Full reload period as a safety net under pub/sub; 0 disables (default 60 s). */
  readonly resyncIntervalMs?: number;
  /**
   * Receives load failures (the cache keeps the site's last good keys and carries on). Errors from this
   * library never contain key values, so they may be logged as they are.
   */
  readonly onError?: (error: unknown, siteId?: string) => void;
}

interface Waiter {
  readonly afterSequence: number;
  /** `waitUntil`'s condition: re-checked after every applied change of the site (instead of the sequence). */
  readonly condition?: () => boolean;
  readonly resolve: (changed: boolean) => void;
  readonly timer: NodeJS.Timeout;
}

interface InFlight {
  again: boolean;
  promise: Promise<void>;
}

/**
 * The readers' in-memory view of the key store (gateway, ingress). Lookups are a `Map` read and never wait on
 * Redis; change notifications reload the changed site (DESIGN §2: "changes reach every gateway replica in
 * under one second"), a periodic full reload covers missed notifications, and a failed load keeps the last
 * good keys. Key material is derived once per fingerprint and value.
 *
 * Start it with {@link start} (subscribes first, then loads, so no change can fall in between).
 */
export class KeyCache {
  readonly #store: KeyStore;
  readonly #filter: ReadonlySet<string> | undefined;
  readonly #resyncIntervalMs: number;
  readonly #onError: (error: unknown, siteId?: string) => void;
  readonly #byFingerprint = new Map<string, KeyLookup>();
  readonly #sites = new Map<string, CachedSite>();
  readonly #inFlight = new Map<string, InFlight>();
  readonly #waiters = new Map<string, Set<Waiter>>();
  readonly #sequence = new Map<string, number>();
  #started: Promise<void> | undefined;
  #unsubscribe: Unsubscribe | undefined;
  #timer: NodeJS.Timeout | undefined;
  #closed = false;

  /**
   * @param store the key store to read
   * @param options site filter, resync period, error hook
   */
  constructor(store: KeyStore, options: KeyCacheOptions = {}) {
    this.#store = store;
    if (options.siteIds !== undefined) options.siteIds.forEach((siteId) => assertSiteId(siteId));
    this.#filter = options.siteIds === undefined ? undefined : new Set(options.siteIds);
    this.#resyncIntervalMs = options.resyncIntervalMs ?? DEFAULT_RESYNC_INTERVAL_MS;
    if (!Number.isFinite(this.#resyncIntervalMs) || this.#resyncIntervalMs < 0) {
      throw new TypeError('resyncIntervalMs must be >= 0');
    }
    this.#onError = options.onError ?? (() => undefined);
  }

  /** Subscribes to change notifications, then loads every site. Idempotent. Rejects if the first load fails. */
  start(): Promise<void> {
    this.#started ??= this.#start();
    return this.#started;
  }

  /** The key with this fingerprint, or undefined. O(1), never touches the store. */
  lookup(fingerprint: string): KeyLookup | undefined {
    return this.#byFingerprint.get(fingerprint);
  }

  /**
   * {@link lookup}, and on a miss one read of the store's fingerprint index, then a reload of the site it names
   * (a key may have arrived before its notification). Store failures are reported and read as a miss.
   */
  async lookupOrLoad(fingerprint: string): Promise<KeyLookup | undefined> {
    const hit = this.#byFingerprint.get(fingerprint);
    if (hit !== undefined || !isValidFingerprint(fingerprint) || this.#closed) return hit;
    try {
      const siteId = await this.#store.findSiteByFingerprint(fingerprint);
      if (siteId === undefined || !this.#accepts(siteId)) return undefined;
      await this.#reload(siteId);
    } catch (error) {
      this.#onError(error);
    }
    return this.#byFingerprint.get(fingerprint);
  }

  /** One cached site, or undefined. */
  site(siteId: string): CachedSite | undefined {
    return this.#sites.get(siteId);
  }

  /** The ids of every cached site, sorted. */
  siteIds(): string[] {
    return [...this.#sites.keys()].sort();
  }

  /**
   * The key to encrypt with for a site at `now` (DESIGN §2 / §4, see `selectEncryptionKey`): the preferred
   * fingerprint while it can encrypt, else the newest encrypt-capable key, else undefined.
   */
  encryptionKey(siteId: string, now: number, preferredFingerprint?: string): KeyLookup | undefined {
    const site = this.#sites.get(siteId);
    if (site === undefined) return undefined;
    const key = selectEncryptionKey(
      site.keys.map((lookup) => lookup.key),
      now,
      preferredFingerprint,
    );
    return key === undefined ? undefined : this.#byFingerprint.get(key.fingerprint);
  }

  /** Reloads one site now (also one this cache has not seen). Rejects if the store read fails. */
  reloadSite(siteId: string): Promise<void> {
    assertSiteId(siteId);
    return this.#accepts(siteId) ? this.#reload(siteId) : Promise.resolve();
  }

  /** Reloads every site (and forgets removed ones). Failures are reported per site; resolves when done. */
  async reloadAll(): Promise<void> {
    let siteIds: readonly string[];
    try {
      siteIds = this.#filter === undefined ? await this.#store.listSites() : [...this.#filter];
    } catch (error) {
      this.#onError(error);
      return;
    }
    const keep = new Set(siteIds);
    for (const siteId of this.#sites.keys()) if (!keep.has(siteId)) this.#apply(siteId, undefined);
    await Promise.all(siteIds.map((siteId) => this.#reload(siteId).catch((error) => this.#onError(error, siteId))));
  }

  /**
   * Resolves true once a change notification for `siteId` that arrived after this call has been applied (the
   * gateway's "ask for a refresh, then wait briefly", DESIGN §3), false after `timeoutMs` or on close.
   */
  waitForChange(siteId: string, timeoutMs: number): Promise<boolean> {
    assertSiteId(siteId);
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0) throw new TypeError('timeoutMs must be >= 0');
    if (this.#closed || !this.#accepts(siteId)) return Promise.resolve(false);
    return this.#wait(siteId, { afterSequence: this.#sequence.get(siteId) ?? 0 }, timeoutMs);
  }

  /**
   * Resolves true as soon as `condition()` holds — checked now and after every applied change of `siteId` —
   * and false after `timeoutMs` or on close. A state check, so a change that was notified but not yet applied
   * when this is called still counts once it is (the gateway's refresh wait, docs/specs/key-sync.md §7).
   */
  waitUntil(siteId: string, condition: () => boolean, timeoutMs: number): Promise<boolean> {
    assertSiteId(siteId);
    if (typeof condition !== 'function') throw new TypeError('condition must be a function');
    if (!Number.isFinite(timeoutMs) || timeoutMs < 0) throw new TypeError('timeoutMs must be >= 0');
    if (this.#closed || !this.#accepts(siteId)) return Promise.resolve(false);
    if (condition()) return Promise.resolve(true);
    return this.#wait(siteId, { afterSequence: 0, condition }, timeoutMs);
  }

  /** Registers a waiter of `siteId` (settled by `#resolveWaiters`, its timeout, or close). */
  #wait(siteId: string, until: Pick<Waiter, 'afterSequence' | 'condition'>, timeoutMs: number): Promise<boolean> {
    return new Promise<boolean>((resolve) => {
      const waiters = this.#waiters.get(siteId) ?? new Set<Waiter>();
      this.#waiters.set(siteId, waiters);
      const waiter: Waiter = {
        ...until,
        resolve: (settled) => {
          clearTimeout(waiter.timer);
          waiters.delete(waiter);
          resolve(settled);
        },
        timer: setTimeout(() => waiter.resolve(false), timeoutMs),
      };
      waiters.add(waiter);
    });
  }

  /** Unsubscribes, stops the resync timer, resolves pending waits with false and forgets every key. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    if (this.#timer !== undefined) clearInterval(this.#timer);
    await this.#started?.catch(() => undefined);
    await this.#unsubscribe?.();
    for (const waiters of this.#waiters.values()) for (const waiter of [...waiters]) waiter.resolve(false);
    this.#byFingerprint.clear();
    this.#sites.clear();
  }

  async #start(): Promise<void> {
    this.#unsubscribe = await this.#store.subscribeChanges(this.#onChange, () => void this.reloadAll());
    const siteIds = this.#filter === undefined ? await this.#store.listSites() : [...this.#filter];
    await Promise.all(siteIds.map((siteId) => this.#reload(siteId)));
    if (this.#resyncIntervalMs > 0 && !this.#closed) {
      this.#timer = setInterval(() => void this.reloadAll(), this.#resyncIntervalMs);
      this.#timer.unref();
    }
  }

  readonly #onChange = (siteId: string): void => {
    if (this.#closed || !this.#accepts(siteId)) return;
    const sequence = (this.#sequence.get(siteId) ?? 0) + 1;
    this.#sequence.set(siteId, sequence);
    const settle = (): void => this.#resolveWaiters(siteId, sequence);
    this.#reload(siteId).then(settle, (error: unknown) => {
      this.#onError(error, siteId);
      settle();
    });
  };

  #resolveWaiters(siteId: string, sequence: number): void {
    for (const waiter of [...(this.#waiters.get(siteId) ?? [])]) {
      if (waiter.condition === undefined ? waiter.afterSequence < sequence : waiter.condition()) waiter.resolve(true);
    }
  }

  /**
   * Loads a site, one load per site at a time; a request arriving during a load causes exactly one more load
   * afterwards, so the newest notification always wins.
   */
  #reload(siteId: string): Promise<void> {
    const running = this.#inFlight.get(siteId);
    if (running !== undefined) {
      running.again = true;
      return running.promise;
    }
    const entry: InFlight = { again: false, promise: Promise.resolve() };
    entry.promise = (async () => {
      try {
        do {
          entry.again = false;
          const site = await this.#store.getSite(siteId);
          if (!this.#closed) this.#apply(siteId, site);
        } while (entry.again && !this.#closed);
      } finally {
        this.#inFlight.delete(siteId);
      }
    })();
    this.#inFlight.set(siteId, entry);
    return entry.promise;
  }

  #apply(siteId: string, site: SiteKeys | undefined): void {
    const previous = this.#sites.get(siteId);
    const lookups = (site?.keys ?? []).map((key) => this.#lookupFor(siteId, key));
    const current = new Set(lookups.map((lookup) => lookup.key.fingerprint));
    for (const old of previous?.keys ?? []) {
      const fingerprint = old.key.fingerprint;
      if (!current.has(fingerprint) && this.#byFingerprint.get(fingerprint)?.siteId === siteId) {
        this.#byFingerprint.delete(fingerprint);
      }
    }
    for (const lookup of lookups) this.#byFingerprint.set(lookup.key.fingerprint, lookup);
    if (site === undefined) this.#sites.delete(siteId);
    else this.#sites.set(siteId, { siteId, encryption: site.encryption, fetchedAt: site.fetchedAt, refreshEpoch: site.refreshEpoch ?? 0, keys: lookups });
  }

  /** Reuses the cached lookup (and its material) when nothing about the key changed. */
  #lookupFor(siteId: string, key: SiteKey): KeyLookup {
    const existing = this.#byFingerprint.get(key.fingerprint);
    if (existing !== undefined && existing.siteId === siteId && existing.key.value === key.value) {
      if (existing.key.validAfter === key.validAfter && existing.key.validUntil === key.validUntil) return existing;
      return Object.freeze({ siteId, key: Object.freeze({ ...key }), material: existing.material });
    }
    return Object.freeze({ siteId, key: Object.freeze({ ...key }), material: toAesKeyObject(deriveAleKey(key.value)) });
  }

  #accepts(siteId: string): boolean {
    return this.#filter === undefined || this.#filter.has(siteId);
  }
}

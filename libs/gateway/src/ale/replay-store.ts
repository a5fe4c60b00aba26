import { GatewayError } from '../errors/gateway-error';

/**
 * Remembers `(fingerprint, iv)` pairs for replay protection (DESIGN §3): each pair is accepted once within
 * the site's window. Redis across replicas (`RedisReplayStore`), memory in standalone mode.
 */
export interface ReplayStore {
  /**
   * Records the pair unless it is already recorded.
   * @param siteId the key's site (the Redis hash tag)
   * @param fingerprint the key's fingerprint
   * @param iv the IV's bytes (not its text: hex and base64 spellings of one IV are one IV)
   * @param ttlMs how long the record lasts (the window)
   * @returns true when the pair was new (accept), false when it was seen (replay)
   * @throws GatewayError `ERR_GATEWAY_REPLAY_STORE_UNAVAILABLE` when the pair cannot be recorded
   */
  claim(siteId: string, fingerprint: string, iv: Buffer, ttlMs: number): Promise<boolean>;
}

/**
 * Bound of the in-memory store: at the benchmark's 20k req/s and a 60 s window it holds 1.2M pairs
 * (≈ 150 MB). Past the bound new pairs are refused (fail closed) rather than memory growing without limit.
 */
export const MEMORY_REPLAY_MAX_ENTRIES = 2_000_000;

/** Expired entries dropped per claim: amortized cleanup, no timer. */
const PRUNE_PER_CLAIM = 4;

/** The in-process {@link ReplayStore} (standalone mode; one process sees every request). */
export class MemoryReplayStore implements ReplayStore {
  readonly #expiries = new Map<string, number>();
  readonly #clock: () => number;
  readonly #maxEntries: number;

  /**
   * @param clock time source
   * @param maxEntries bound (tests use a small one)
   */
  constructor(clock: () => number = Date.now, maxEntries: number = MEMORY_REPLAY_MAX_ENTRIES) {
    this.#clock = clock;
    this.#maxEntries = maxEntries;
  }

  /** {@inheritDoc ReplayStore.claim} */
  async claim(siteId: string, fingerprint: string, iv: Buffer, ttlMs: number): Promise<boolean> {
    const now = this.#clock();
    this.#prune(now);
    const key = `${siteId}\n${fingerprint}\n${iv.toString('base64')}`;
    const expiry = this.#expiries.get(key);
    if (expiry !== undefined && expiry > now) return false;
    if (expiry === undefined && this.#expiries.size >= this.#maxEntries) {
      throw new GatewayError('ERR_GATEWAY_REPLAY_STORE_UNAVAILABLE');
    }
    this.#expiries.delete(key); // re-insert at the end: the map stays roughly in expiry order
    this.#expiries.set(key, now + ttlMs);
    return true;
  }

  /** Entries held (tests). */
  get size(): number {
    return this.#expiries.size;
  }

  /** Drops expired entries from the front (insertion ≈ expiry order when windows are alike). */
  #prune(now: number): void {
    let budget = PRUNE_PER_CLAIM;
    for (const [key, expiry] of this.#expiries) {
      if (budget-- === 0 || expiry > now) return;
      this.#expiries.delete(key);
    }
  }
}

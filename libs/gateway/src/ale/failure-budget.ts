/** DESIGN §8: `ALE_FAILURE_BUDGET` counts decryption failures "per source address per minute". */
export const FAILURE_BUDGET_WINDOW_MS = 60_000;

/**
 * Addresses tracked at once. Each entry is ~100 bytes; beyond the bound the least recently started
 * windows are forgotten (an attacker rotating through more addresses than this gains nothing a botnet
 * would not have anyway), so memory stays bounded.
 */
export const FAILURE_BUDGET_MAX_TRACKED = 100_000;

interface Window {
  start: number;
  count: number;
}

/**
 * The per-source budget of decryption failures (errorCode 2, DESIGN §3/§8): each source address may fail
 * `limit` times per fixed one-minute window; after that its ALE requests get 429 `too_many_failures` until
 * the window ends. It bounds how fast one client can probe keys, and the CPU failures cost (they throw).
 * Per replica: behind N replicas an address gets up to N budgets.
 */
export class FailureBudget {
  readonly #limit: number;
  readonly #clock: () => number;
  readonly #maxTracked: number;
  readonly #windows = new Map<string, Window>();

  /**
   * @param limit failures allowed per window (`ALE_FAILURE_BUDGET`)
   * @param clock time source
   * @param maxTracked bound on tracked addresses
   */
  constructor(limit: number, clock: () => number = Date.now, maxTracked: number = FAILURE_BUDGET_MAX_TRACKED) {
    if (!Number.isSafeInteger(limit) || limit < 1) throw new TypeError('limit must be an integer >= 1');
    this.#limit = limit;
    this.#clock = clock;
    this.#maxTracked = maxTracked;
  }

  /** True when `source` has spent its budget in the current window. */
  isExhausted(source: string): boolean {
    const window = this.#windows.get(source);
    if (window === undefined) return false;
    if (this.#clock() - window.start >= FAILURE_BUDGET_WINDOW_MS) return false;
    return window.count >= this.#limit;
  }

  /** Records one failure of `source`. */
  spend(source: string): void {
    const now = this.#clock();
    const window = this.#windows.get(source);
    if (window !== undefined && now - window.start < FAILURE_BUDGET_WINDOW_MS) {
      window.count++;
      return;
    }
    // A new window goes to the end of the map, so the map's head holds the oldest windows.
    this.#windows.delete(source);
    if (this.#windows.size >= this.#maxTracked) {
      const oldest = this.#windows.keys().next();
      if (oldest.done !== true) this.#windows.delete(oldest.value);
    }
    this.#windows.set(source, { start: now, count: 1 });
  }

  /** Addresses tracked (tests). */
  get tracked(): number {
    return this.#windows.size;
  }
}

import { sameHolder, type TerminalEntry, type TerminalHolder, type TerminalRegistry } from './terminal-registry';

interface Stored {
  readonly holder: TerminalHolder;
  expiresAt: number;
}

/**
 * The in-memory device registry (standalone mode, DESIGN §1): the same contract as the Redis one, with the
 * TTL checked on read. Gateways built in one process may share one instance.
 */
export class MemoryTerminalRegistry implements TerminalRegistry {
  readonly #ttlMs: number;
  readonly #now: () => number;
  readonly #entries = new Map<string, Stored>();

  /**
   * @param ttlMs how long an entry lives without a refresh (`RELAY_REGISTRY_TTL_MS`)
   * @param now clock (tests)
   */
  constructor(ttlMs: number, now: () => number = Date.now) {
    if (!Number.isSafeInteger(ttlMs) || ttlMs < 1) throw new TypeError('ttlMs must be a positive integer');
    this.#ttlMs = ttlMs;
    this.#now = now;
  }

  /** @inheritdoc */
  async claim(entry: TerminalEntry): Promise<TerminalHolder | undefined> {
    const previous = this.#live(entry.siteId, entry.pinpadId);
    this.#entries.set(keyOf(entry.siteId, entry.pinpadId), { holder: entry.holder, expiresAt: this.#now() + this.#ttlMs });
    return previous?.holder;
  }

  /** @inheritdoc */
  async refresh(entries: readonly TerminalEntry[]): Promise<boolean[]> {
    return entries.map((entry) => {
      const stored = this.#live(entry.siteId, entry.pinpadId);
      if (stored !== undefined && !sameHolder(stored.holder, entry.holder)) return false;
      this.#entries.set(keyOf(entry.siteId, entry.pinpadId), { holder: entry.holder, expiresAt: this.#now() + this.#ttlMs });
      return true;
    });
  }

  /** @inheritdoc */
  async release(entry: TerminalEntry): Promise<void> {
    const stored = this.#live(entry.siteId, entry.pinpadId);
    if (stored !== undefined && sameHolder(stored.holder, entry.holder)) this.#entries.delete(keyOf(entry.siteId, entry.pinpadId));
  }

  /** @inheritdoc */
  async lookup(siteId: string, pinpadId: string): Promise<TerminalHolder | undefined> {
    return this.#live(siteId, pinpadId)?.holder;
  }

  #live(siteId: string, pinpadId: string): Stored | undefined {
    const key = keyOf(siteId, pinpadId);
    const stored = this.#entries.get(key);
    if (stored !== undefined && stored.expiresAt <= this.#now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return stored;
  }
}

/** Site ids never contain a NUL, so this key cannot collide. */
function keyOf(siteId: string, pinpadId: string): string {
  return `${siteId}\u0000${pinpadId}`;
}

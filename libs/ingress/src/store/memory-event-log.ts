import { pesContentHash } from './content-hash';
import type { PesAppendOutcome, PesEventLog, PesEventRecord } from './pes-event-log';

/**
 * Entries kept by default: a single in-store box sees a few thousand events a day; the cap keeps a
 * long-running standalone process from growing without bound (oldest entries go first, like
 * `XADD MAXLEN ~`). Dedupe records are kept for their TTL regardless.
 */
export const MEMORY_EVENT_LOG_MAX_ENTRIES_DEFAULT = 100_000;

/** One stored entry of a {@link MemoryPesEventLog}: the record plus a stream-like id. */
export interface PesStoredEntry extends PesEventRecord {
  /** `<ms>-<seq>`, increasing, like a Redis Stream entry id. */
  readonly id: string;
}

/** Options of {@link MemoryPesEventLog}. */
export interface MemoryPesEventLogOptions {
  /** `PES_DEDUPE_TTL_S` (default 86400). */
  readonly dedupeTtlSeconds?: number;
  /** See {@link MEMORY_EVENT_LOG_MAX_ENTRIES_DEFAULT}. */
  readonly maxEntries?: number;
  /** Clock in milliseconds (injectable for TTL tests); default `Date.now`. */
  readonly now?: () => number;
}

interface DedupeRecord {
  readonly hash: string;
  readonly expiresAt: number;
}

/**
 * The standalone {@link PesEventLog} (DESIGN §1: no Redis needed): same contract as the Redis one —
 * dedupe by `msg_id` for the TTL, atomic with the append (a single synchronous step), order kept.
 * It is never "unavailable".
 */
export class MemoryPesEventLog implements PesEventLog {
  readonly #ttlMs: number;
  readonly #maxEntries: number;
  readonly #now: () => number;
  /** Insertion order = expiry order (one TTL for all), so expired records are swept from the front. */
  readonly #dedupe = new Map<string, DedupeRecord>();
  #entries: PesStoredEntry[] = [];
  #lastMs = 0;
  #seq = 0;
  readonly #listeners = new Set<(entry: PesStoredEntry) => void>();

  /** @throws TypeError on a non-positive TTL or cap */
  constructor(options: MemoryPesEventLogOptions = {}) {
    const { dedupeTtlSeconds = 86_400, maxEntries = MEMORY_EVENT_LOG_MAX_ENTRIES_DEFAULT, now = Date.now } = options;
    if (!Number.isSafeInteger(dedupeTtlSeconds) || dedupeTtlSeconds < 1) {
      throw new TypeError('dedupeTtlSeconds must be a positive integer');
    }
    if (!Number.isSafeInteger(maxEntries) || maxEntries < 1) throw new TypeError('maxEntries must be a positive integer');
    this.#ttlMs = dedupeTtlSeconds * 1000;
    this.#maxEntries = maxEntries;
    this.#now = now;
  }

  /** {@inheritDoc PesEventLog.append} */
  async append(event: PesEventRecord): Promise<PesAppendOutcome> {
    const now = this.#now();
    this.#sweep(now);
    const hash = pesContentHash(event.data);
    const previous = this.#dedupe.get(event.msgId);
    if (previous !== undefined) return previous.hash === hash ? 'duplicate' : 'conflict';

    const entry: PesStoredEntry = { ...event, id: this.#nextId(now) };
    this.#entries.push(entry);
    if (this.#entries.length > this.#maxEntries) this.#entries = this.#entries.slice(-this.#maxEntries);
    this.#dedupe.set(event.msgId, { hash, expiresAt: now + this.#ttlMs });
    for (const listener of this.#listeners) listener(entry);
    return 'stored';
  }

  /** The stored entries, oldest first (a copy). */
  entries(): PesStoredEntry[] {
    return [...this.#entries];
  }

  /**
   * Calls `listener` with every entry appended from now on (the standalone stand-in for `XREAD`).
   * @returns a function that removes the listener
   */
  subscribe(listener: (entry: PesStoredEntry) => void): () => void {
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #sweep(now: number): void {
    for (const [msgId, record] of this.#dedupe) {
      if (record.expiresAt > now) break;
      this.#dedupe.delete(msgId);
    }
  }

  #nextId(now: number): string {
    if (now > this.#lastMs) {
      this.#lastMs = now;
      this.#seq = 0;
    } else {
      this.#seq += 1;
    }
    return `${this.#lastMs}-${this.#seq}`;
  }
}

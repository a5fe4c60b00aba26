import { assertSiteId } from '@pos-link/keyring';
import type { FeedUnsubscribe, PesEventFeed, PesFeedEntry } from './pes-event-feed';
import { STREAM_START_ID, compareStreamIds } from './stream-id';

/**
 * What the standalone composition root connects to a {@link MemoryPesEventFeed} for one site: an
 * in-memory, append-only event log. The ingress's `MemoryPesEventLog` has exactly this shape
 * (`entries()` oldest first with increasing `<ms>-<seq>` ids, `subscribe(listener)` for appends), so
 * `apps/standalone` passes it as is — the gateway lib never imports the ingress lib (DESIGN §1).
 */
export interface PesEventSource {
  /** The retained entries, oldest first. */
  entries(): readonly PesFeedEntry[];
  /** Calls `listener` for every entry appended from now on; returns a function that stops it. */
  subscribe(listener: (entry: PesFeedEntry) => void): () => unknown;
}

/**
 * The standalone `PesEventFeed`: reads per-site {@link PesEventSource}s (DESIGN §1, one process, no
 * Redis). Appends are delivered synchronously by the source, so the hand-over contract holds trivially.
 * A site with no connected source reads as an empty stream that never grows.
 */
export class MemoryPesEventFeed implements PesEventFeed {
  readonly #sources = new Map<string, PesEventSource>();
  readonly #onError: (error: unknown) => void;
  readonly #tails = new Set<() => unknown>();
  #closed = false;

  /**
   * @param sources site id → its event log (more can be connected later with {@link connect})
   * @param onError receives exceptions thrown by tail listeners (never passed to the source's appender)
   */
  constructor(sources: Iterable<readonly [string, PesEventSource]> = [], onError: (error: unknown) => void = () => undefined) {
    this.#onError = onError;
    for (const [siteId, source] of sources) this.connect(siteId, source);
  }

  /**
   * Connects a site's event log (standalone: the ingress's `MemoryPesEventLog` of `SITE_ID`).
   * @throws TypeError when the site already has a source or the source is malformed
   */
  connect(siteId: string, source: PesEventSource): void {
    assertSiteId(siteId);
    if (source === null || typeof source !== 'object' || typeof source.entries !== 'function' || typeof source.subscribe !== 'function') {
      throw new TypeError('MemoryPesEventFeed.connect: source needs entries() and subscribe()');
    }
    if (this.#sources.has(siteId)) throw new TypeError(`MemoryPesEventFeed.connect: site ${siteId} is already connected`);
    this.#sources.set(siteId, source);
  }

  /** {@inheritDoc PesEventFeed.range} */
  async range(siteId: string, afterId: string, count: number): Promise<PesFeedEntry[]> {
    assertSiteId(siteId);
    if (!Number.isSafeInteger(count) || count < 1) throw new TypeError('count must be a positive integer');
    const entries = this.#sources.get(siteId)?.entries() ?? [];
    // Ids increase: binary-search the first entry after `afterId`.
    let lo = 0;
    let hi = entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (compareStreamIds((entries[mid] as PesFeedEntry).id, afterId) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return entries.slice(lo, lo + count).map(copyEntry);
  }

  /** {@inheritDoc PesEventFeed.lastId} */
  async lastId(siteId: string): Promise<string> {
    assertSiteId(siteId);
    return this.#sources.get(siteId)?.entries().at(-1)?.id ?? STREAM_START_ID;
  }

  /** {@inheritDoc PesEventFeed.tail} */
  async tail(siteId: string, listener: (entry: PesFeedEntry) => void): Promise<FeedUnsubscribe> {
    assertSiteId(siteId);
    if (typeof listener !== 'function') throw new TypeError('listener must be a function');
    if (this.#closed) throw new TypeError('MemoryPesEventFeed is closed');
    const source = this.#sources.get(siteId);
    if (source === undefined) return async () => undefined;
    const stop = source.subscribe((entry) => {
      try {
        listener(copyEntry(entry));
      } catch (error) {
        this.#onError(error); // never into the ingress's append
      }
    });
    this.#tails.add(stop);
    return async () => {
      if (this.#tails.delete(stop)) stop();
    };
  }

  /** {@inheritDoc PesEventFeed.close} */
  async close(): Promise<void> {
    this.#closed = true;
    for (const stop of this.#tails) stop();
    this.#tails.clear();
  }
}

/** Only the feed's fields (a source entry may carry more). */
function copyEntry(entry: PesFeedEntry): PesFeedEntry {
  return {
    id: entry.id,
    msgId: entry.msgId,
    msgType: entry.msgType,
    source: entry.source,
    data: entry.data,
    receivedAt: entry.receivedAt,
  };
}

import { PES_CATCH_UP_PAGE, PES_HANDOVER_BUFFER_MAX } from '../ws-limits';
import type { FeedUnsubscribe, PesEventFeed, PesFeedEntry } from './pes-event-feed';
import { compareStreamIds, isStreamId } from './stream-id';

/** Where a subscription starts: after this entry id, or `$` = after the newest entry now. */
export type PesResumeFrom = string;

/** Options of {@link PesSubscription}. */
export interface PesSubscriptionOptions {
  /** The feed to read. */
  readonly feed: PesEventFeed;
  /** The client's site. */
  readonly siteId: string;
  /** `$` or a full entry id (`0-0` = everything retained). */
  readonly from: PesResumeFrom;
  /**
   * Sends one entry to the client; resolves once it is handed to the socket (catch-up awaits it, so a
   * long backlog is paced by the client's socket instead of piling up in the send queue).
   */
  readonly deliver: (entry: PesFeedEntry) => Promise<void>;
  /** Called once the start position is known, before the first entry (the `subscribed` answer). */
  readonly onStarted?: (fromId: string) => void;
  /** Entries per catch-up read (default {@link PES_CATCH_UP_PAGE}). */
  readonly pageSize?: number;
  /** Live entries buffered while catching up (default {@link PES_HANDOVER_BUFFER_MAX}). */
  readonly bufferMax?: number;
}

/**
 * One client's subscription to its site's PES stream (docs/specs/gateway-ws.md "Subscribe and resume"):
 * catch-up reads from the resume position, then a hand-over to the site's shared live tail without a gap
 * or a duplicate.
 *
 * How: the live listener is attached FIRST (so nothing appended from then on can be missed) and buffers
 * while the catch-up pages through `range`; then the buffer is drained and the subscription goes live.
 * Anything at or before the last id sent is dropped, so an entry seen by both paths goes out once. If
 * the buffer overflows (a burst during a long catch-up), it is discarded and the catch-up simply reads
 * further — those entries are in the stream.
 */
export class PesSubscription {
  readonly #options: PesSubscriptionOptions;
  readonly #pageSize: number;
  readonly #bufferMax: number;
  #buffer: PesFeedEntry[] = [];
  #overflowed = false;
  #live = false;
  #stopped = false;
  #lastSent = '';
  #unsubscribe: FeedUnsubscribe | undefined;

  /** @throws TypeError when `from` is neither `$` nor a full stream id, or a limit is not a positive integer */
  constructor(options: PesSubscriptionOptions) {
    if (options.from !== '$' && !isStreamId(options.from)) throw new TypeError('from must be "$" or a full stream id');
    this.#options = options;
    this.#pageSize = options.pageSize ?? PES_CATCH_UP_PAGE;
    this.#bufferMax = options.bufferMax ?? PES_HANDOVER_BUFFER_MAX;
    for (const [name, value] of [['pageSize', this.#pageSize], ['bufferMax', this.#bufferMax]] as const) {
      if (!Number.isSafeInteger(value) || value < 1) throw new TypeError(`${name} must be a positive integer`);
    }
  }

  /** The id of the last entry delivered (or the start position). */
  get lastSent(): string {
    return this.#lastSent;
  }

  /** Whether the catch-up is done and entries flow live. */
  get live(): boolean {
    return this.#live;
  }

  /**
   * Attaches the live listener, catches up, hands over. Resolves once live.
   * @throws (rejects) when the feed fails; the subscription is then stopped
   */
  async start(): Promise<void> {
    const { feed, siteId, from } = this.#options;
    try {
      this.#unsubscribe = await feed.tail(siteId, this.#onLive);
      this.#lastSent = from === '$' ? await feed.lastId(siteId) : from;
      if (this.#stopped) return;
      this.#options.onStarted?.(this.#lastSent);
      await this.#catchUp();
    } catch (error) {
      await this.stop();
      throw error;
    }
  }

  /** Detaches from the live tail; nothing is delivered afterwards. Idempotent. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#live = false;
    this.#buffer = [];
    const unsubscribe = this.#unsubscribe;
    this.#unsubscribe = undefined;
    await unsubscribe?.();
  }

  async #catchUp(): Promise<void> {
    const { feed, siteId } = this.#options;
    for (;;) {
      this.#overflowed = false;
      let page: PesFeedEntry[];
      do {
        page = await feed.range(siteId, this.#lastSent, this.#pageSize);
        for (const entry of page) if (!(await this.#send(entry))) return;
      } while (page.length === this.#pageSize);
      // Drain what the tail brought meanwhile (more may arrive while we await: loop until empty).
      while (this.#buffer.length > 0 && !this.#overflowed) {
        const entry = this.#buffer.shift() as PesFeedEntry;
        if (!(await this.#send(entry))) return;
      }
      if (this.#stopped) return;
      if (!this.#overflowed) {
        this.#live = true; // no await between the empty check and this: no entry can slip in between
        return;
      }
    }
  }

  /** Sends `entry` unless already sent; false once stopped. */
  async #send(entry: PesFeedEntry): Promise<boolean> {
    if (this.#stopped) return false;
    if (compareStreamIds(entry.id, this.#lastSent) <= 0) return true;
    this.#lastSent = entry.id;
    await this.#options.deliver(entry);
    return !this.#stopped;
  }

  readonly #onLive = (entry: PesFeedEntry): void => {
    if (this.#stopped) return;
    if (this.#live) {
      if (compareStreamIds(entry.id, this.#lastSent) <= 0) return;
      this.#lastSent = entry.id;
      // Live entries are not awaited: the connection's bounded send queue is the backpressure (1013).
      this.#options.deliver(entry).catch(() => undefined);
      return;
    }
    if (this.#overflowed) return;
    if (this.#buffer.length >= this.#bufferMax) {
      this.#overflowed = true;
      this.#buffer = [];
      return;
    }
    this.#buffer.push(entry);
  };
}

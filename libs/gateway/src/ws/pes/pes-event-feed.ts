/**
 * The `PesEventFeed` seam: read access to a site's POS Event Stream as the ingress stored it (DESIGN §6,
 * §8: stream `<prefix>:{site:<id>}:pes:events`, fields `msg_id`, `msg_type`, `source`, `data`,
 * `received_at`). The gateway uses it to push PES events to subscribed WebSocket clients and to resume
 * them after a reconnect (docs/specs/gateway-ws.md). Two implementations: `RedisPesEventFeed` (streams)
 * and `MemoryPesEventFeed` (standalone mode: the ingress's in-memory log, connected by the composition
 * root — feature libs never import each other, DESIGN §1).
 *
 * Contract that makes a gap-free hand-over possible (see `PesSubscription`): once `tail(site, l)` has
 * resolved, every entry appended afterwards is delivered to `l`, in stream order; everything appended
 * before is readable through `range`. An entry may reach both — consumers drop ids they already sent.
 */

/** One stored PES event. */
export interface PesFeedEntry {
  /** The stream entry id, `<ms>-<seq>` (increasing). */
  readonly id: string;
  /** `msg_id`. */
  readonly msgId: string;
  /** `msg_type`. */
  readonly msgType: string;
  /** `source`. */
  readonly source: string;
  /** `data`: the decrypted `msg_data`, exact text (a JSON object). */
  readonly data: string;
  /** `received_at`: ISO-8601 UTC with milliseconds. */
  readonly receivedAt: string;
}

/** Stops a tail listener; resolves once it receives nothing more. */
export type FeedUnsubscribe = () => Promise<void>;

/** Read access to per-site PES event streams. */
export interface PesEventFeed {
  /**
   * Up to `count` entries with an id strictly greater than `afterId`, oldest first.
   * @param afterId a full entry id (`<ms>-<seq>`); `0-0` for the whole retained stream
   * @throws when the backend is unavailable
   */
  range(siteId: string, afterId: string, count: number): Promise<PesFeedEntry[]>;

  /**
   * The newest entry's id, or `0-0` for an empty stream.
   * @throws when the backend is unavailable
   */
  lastId(siteId: string): Promise<string>;

  /** Delivers every entry appended after this resolves (see the contract above). */
  tail(siteId: string, listener: (entry: PesFeedEntry) => void): Promise<FeedUnsubscribe>;

  /** Stops every tail; releases what the feed opened. Idempotent. */
  close(): Promise<void>;
}

import type { PesEventSource, PesFeedEntry } from '@pos-link/gateway';
import type { MemoryPesEventLog, PesStoredEntry } from '@pos-link/ingress';

/** Only the fields the gateway's feed reads, copied (the log's entries stay the ingress's). */
function feedEntryOf(entry: PesStoredEntry): PesFeedEntry {
  return {
    id: entry.id,
    msgId: entry.msgId,
    msgType: entry.msgType,
    source: entry.source,
    data: entry.data,
    receivedAt: entry.receivedAt,
  };
}

/**
 * The adapter between the two feature libs in standalone mode (DESIGN §1: "feature libs never import
 * each other; they talk only through Redis or the in-memory seam"): the ingress's in-memory event log,
 * seen as the gateway's `PesEventSource`, so the gateway's `MemoryPesEventFeed` pushes what the
 * ingress stores to subscribed WebSocket clients (docs/specs/gateway-ws.md). The composition root is
 * the only place that knows both sides.
 *
 * @param log the ingress's `MemoryPesEventLog` of `SITE_ID`
 */
export function pesFeedSourceOf(log: MemoryPesEventLog): PesEventSource {
  return {
    entries: () => log.entries().map(feedEntryOf),
    // The log calls listeners synchronously inside its append, so the feed's hand-over
    // contract (everything appended after `tail` resolves is delivered) holds.
    subscribe: (listener) => log.subscribe((entry) => listener(feedEntryOf(entry))),
  };
}

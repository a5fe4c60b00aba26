/**
 * The gateway's event bus seam (DESIGN §1 "Redis or the in-memory seam", §4): per site, text messages
 * that must reach that site's WebSocket clients on EVERY gateway replica (`to-pos`), and POS messages for
 * a kitchen that has no WebSocket bridge (`to-kitchen`). Any replica or service may publish; every
 * subscriber of the topic on every replica receives each message once. Fire-and-forget like Redis
 * pub/sub: a subscriber that is disconnected misses what is published meanwhile (durable, resumable
 * delivery is the PES stream's job, see `PesEventFeed`).
 *
 * Payloads are plain text (what the kitchen would send over its WebSocket), so a service publishes with a
 * bare `PUBLISH <prefix>:{site:<id>}:ws:to-pos '<text>'` — no wrapper to agree on.
 */

/** Which way a message travels. */
export type SiteEventTopic = 'to-pos' | 'to-kitchen';

/** Every topic. */
export const SITE_EVENT_TOPICS: readonly SiteEventTopic[] = Object.freeze(['to-pos', 'to-kitchen']);

/** Stops a subscription; resolves once no further message is delivered to it. */
export type BusUnsubscribe = () => Promise<void>;

/** A per-site publish/subscribe bus (Redis in distributed mode, memory in standalone mode). */
export interface SiteEventBus {
  /**
   * Publishes `text` to every subscriber of `(siteId, topic)` on every replica.
   * @throws when the backend cannot take it (Redis down): the caller counts and drops
   */
  publish(siteId: string, topic: SiteEventTopic, text: string): Promise<void>;

  /**
   * Calls `listener(text)` for every message of `(siteId, topic)` published after this resolves.
   * A listener that throws is reported to the bus's error hook, never to the publisher.
   */
  subscribe(siteId: string, topic: SiteEventTopic, listener: (text: string) => void): Promise<BusUnsubscribe>;

  /** Ends every subscription and releases what the bus opened itself. Idempotent. */
  close(): Promise<void>;
}

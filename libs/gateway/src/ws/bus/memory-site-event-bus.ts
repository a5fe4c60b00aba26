import { assertSiteId } from '@pos-link/keyring';
import type { BusUnsubscribe, SiteEventBus, SiteEventTopic } from './site-event-bus';

/**
 * The standalone `SiteEventBus` (DESIGN §1: no Redis needed): one process, so every "replica" sharing
 * this object sees every message. Delivery is asynchronous (a microtask later), like Redis, so a
 * publisher never runs subscriber code on its own stack.
 */
export class MemorySiteEventBus implements SiteEventBus {
  readonly #listeners = new Map<string, Set<(text: string) => void>>();
  readonly #onError: (error: unknown) => void;
  #closed = false;

  /** @param onError receives exceptions thrown by listeners (default: ignored) */
  constructor(onError: (error: unknown) => void = () => undefined) {
    this.#onError = onError;
  }

  /** {@inheritDoc SiteEventBus.publish} */
  async publish(siteId: string, topic: SiteEventTopic, text: string): Promise<void> {
    if (typeof text !== 'string') throw new TypeError('MemorySiteEventBus.publish: text must be a string');
    const listeners = this.#listeners.get(channelOf(siteId, topic));
    if (this.#closed || listeners === undefined) return;
    for (const listener of [...listeners]) {
      queueMicrotask(() => {
        if (!listeners.has(listener)) return; // unsubscribed meanwhile
        try {
          listener(text);
        } catch (error) {
          this.#onError(error);
        }
      });
    }
  }

  /** {@inheritDoc SiteEventBus.subscribe} */
  async subscribe(siteId: string, topic: SiteEventTopic, listener: (text: string) => void): Promise<BusUnsubscribe> {
    if (typeof listener !== 'function') throw new TypeError('MemorySiteEventBus.subscribe: listener must be a function');
    if (this.#closed) throw new TypeError('MemorySiteEventBus is closed');
    const channel = channelOf(siteId, topic);
    const listeners = this.#listeners.get(channel) ?? new Set();
    this.#listeners.set(channel, listeners);
    // A wrapper, so the same function subscribed twice is two subscriptions.
    const entry = (text: string): void => listener(text);
    listeners.add(entry);
    return async () => {
      listeners.delete(entry);
      if (listeners.size === 0 && this.#listeners.get(channel) === listeners) this.#listeners.delete(channel);
    };
  }

  /** {@inheritDoc SiteEventBus.close} */
  async close(): Promise<void> {
    this.#closed = true;
    this.#listeners.clear();
  }
}

function channelOf(siteId: string, topic: SiteEventTopic): string {
  assertSiteId(siteId);
  if (topic !== 'to-pos' && topic !== 'to-kitchen') throw new TypeError('topic must be to-pos or to-kitchen');
  return `${siteId}\n${topic}`;
}
